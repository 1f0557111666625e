//! The relay binary, started for real, with real WebSocket clients: our engine, raw frames,
//! and samod as an independent automerge-repo peer.

mod access;
mod app_files;
mod auth;
mod bad_input;
mod blobs;
mod corrupt_chunks;
mod crash;
mod disk_full;
mod health;
mod limits;
mod remote_heads;
mod restart;
mod samod_interop;
mod samod_server;
mod support;
mod tls;
mod two_clients;
