//! Who is looking at a plan, sent as ephemeral messages and never stored. On the wire the
//! payload is a CBOR map `{"name": text, "task": text or null, "online": bool}`, so that
//! other automerge-repo clients can read it.

use minicbor::data::Type;
use minicbor::{Decoder, Encoder};

use crate::TaskId;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Presence {
    /// How the person calls themselves.
    pub name: String,
    /// The task they have open, if any.
    pub task: Option<TaskId>,
    /// False when they leave the plan (closing it or going elsewhere).
    pub online: bool,
}

/// Longest name we pass on, in characters.
const MAX_NAME: usize = 60;

impl Presence {
    pub fn encode(&self) -> Vec<u8> {
        let mut e = Encoder::new(Vec::new());
        // Writing into a Vec cannot fail.
        let _ =
            e.map(3).and_then(|e| e.str("name")).and_then(|e| e.str(&self.name)).and_then(|e| e.str("task"));
        let _ = match self.task {
            Some(task) => e.str(&task.to_string()),
            None => e.null(),
        };
        let _ = e.str("online").and_then(|e| e.bool(self.online));
        e.into_writer()
    }

    /// Reads what another peer sent; `None` for anything that is not a presence.
    pub fn decode(data: &[u8]) -> Option<Self> {
        let mut d = Decoder::new(data);
        let len = d.map().ok()??;
        let (mut name, mut task, mut online) = (None, None, true);
        for _ in 0..len {
            match d.str().ok()? {
                "name" => name = Some(d.str().ok()?.chars().take(MAX_NAME).collect::<String>()),
                "task" => {
                    task = match d.datatype().ok()? {
                        Type::Null | Type::Undefined => {
                            d.skip().ok()?;
                            None
                        }
                        _ => d.str().ok()?.parse().ok(),
                    }
                }
                "online" => online = d.bool().ok()?,
                _ => d.skip().ok()?,
            }
        }
        Some(Self { name: name?, task, online })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_refuses_what_is_not_a_presence() {
        let someone = Presence { name: "小王".into(), task: Some(TaskId::random()), online: true };
        assert_eq!(Presence::decode(&someone.encode()), Some(someone));
        let idle = Presence { name: "Li".into(), task: None, online: false };
        assert_eq!(Presence::decode(&idle.encode()), Some(idle));
        assert_eq!(Presence::decode(b"\x01\x02"), None);
        assert_eq!(Presence::decode(&[0xa0]), None);
    }
}
