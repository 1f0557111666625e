//! Any bytes: the decoder never panics, and whatever it accepts re-encodes to the same message.
#![no_main]

use launchplan_shared::protocol::Message;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|frame: &[u8]| {
    if let Ok(message) = Message::decode(frame) {
        let again = Message::decode(&message.encode());
        assert_eq!(again.as_ref(), Ok(&message));
    }
});
