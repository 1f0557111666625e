//! The automerge-repo network protocol, version 1: one CBOR map per binary WebSocket frame.
//!
//! [`Message`] is every message the protocol knows; [`Message::decode`] accepts what real peers
//! send (the JavaScript library writes non-minimal map headers, `undefined` for absent values
//! and floats for large numbers) and refuses anything else with a [`DecodeError`] that says
//! what was wrong. [`Message::encode`] writes minimal CBOR.

mod decode;
mod encode;
mod message;

pub use decode::DecodeError;
pub use message::{HeadsAt, Message, PROTOCOL_VERSION, PeerMetadata, encode_heads};
