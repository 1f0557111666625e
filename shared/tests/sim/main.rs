//! Clients and a relay built from the sans-IO engine, wired by a simulated network: the same
//! code the browser and the relay run, minus the sockets. The network can delay, drop,
//! duplicate and reorder messages and cut clients off; once it heals, everyone converges.

mod chaos;
mod net;
mod scenarios;
