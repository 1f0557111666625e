//! The sans-IO sync engine. The browser and the relay both drive it: they hand it what
//! arrived (frames, stored chunks, local edits) and perform the effects it returns, in order.
//!
//! The order of effects is the durability contract: every [`StorageOp`] comes before any
//! message whose heads include what it stores, so an IO loop that completes each store before
//! it sends what follows never tells a peer about a change it could still lose.

mod chunk;
mod client;
mod doc_engine;
mod handshake;
mod hub;
mod server_connection;

pub use chunk::{ChunkKey, StorageOp};
pub use client::{Client, ClientEffect, ConnectionState};
pub use doc_engine::{DocEffect, DocEngine, EngineError, LoadOutcome, Observed};
pub use handshake::{HandshakeError, accept_join, accept_peer, join_message};
pub use hub::{Arrival, DocHub, HubEffect, Subscribed};
pub use server_connection::{DocRequest, ServerAction, ServerConnection};
