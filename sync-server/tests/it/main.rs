//! The relay binary, started for real, with real WebSocket clients: our engine, raw frames,
//! and samod as an independent automerge-repo peer.

mod bad_input;
mod restart;
mod samod_interop;
mod support;
mod two_clients;
