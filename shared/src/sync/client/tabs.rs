//! Other tabs of the same browser sync through one tab (the one that holds the browser-wide
//! lock): it is their relay. Only that tab writes to local storage and talks to the real
//! relay, so two tabs on one plan never write the same changes twice.

use super::{Client, ClientEffect};
use crate::protocol::Message;
use crate::sync::{DocRequest, ServerAction, ServerConnection};
use crate::{DocumentId, PeerId};

impl Client {
    /// Handles a frame from tab `tab`. The IO loop should open the document it is about
    /// (see [`Client::document_of`]) before handing it over, so that it is loaded from
    /// storage rather than reported unavailable.
    pub fn tab_frame(&mut self, tab: &PeerId, frame: &[u8]) -> Vec<ClientEffect> {
        let (me, metadata) = (self.me.clone(), self.metadata.clone());
        let connection = self.tabs.entry(tab.clone()).or_insert_with(|| ServerConnection::new(me, metadata));
        match connection.receive(frame) {
            ServerAction::Joined { reply, .. } => {
                vec![ClientEffect::SendToTab { tab: tab.clone(), frame: reply }]
            }
            ServerAction::Route { doc, from, request } => self.route_tab_message(tab, doc, &from, &request),
            ServerAction::Refuse { error, .. } => {
                self.tab_left(tab);
                vec![ClientEffect::SendToTab { tab: tab.clone(), frame: error }]
            }
            ServerAction::Close { .. } => {
                self.tab_left(tab);
                Vec::new()
            }
            // Tabs learn heads by syncing with us directly.
            ServerAction::Subscribe { .. } | ServerAction::Nothing => Vec::new(),
        }
    }

    /// Tab `tab` went away: forget it and its sync state.
    pub fn tab_left(&mut self, tab: &PeerId) {
        if let Some(connection) = self.tabs.remove(tab)
            && let Some(peer) = connection.peer()
        {
            for engine in self.docs.values_mut() {
                engine.remove_peer(peer);
            }
        }
    }

    /// The document a frame is about, if it is about one.
    pub fn document_of(frame: &[u8]) -> Option<DocumentId> {
        Message::decode(frame).ok()?.document_id()
    }

    fn route_tab_message(
        &mut self,
        tab: &PeerId,
        doc: DocumentId,
        from: &PeerId,
        request: &DocRequest,
    ) -> Vec<ClientEffect> {
        let Some(engine) = self.docs.get_mut(&doc) else {
            let unavailable = Message::DocUnavailable {
                sender_id: self.me.clone(),
                target_id: from.clone(),
                document_id: doc,
            };
            return match request {
                DocRequest::Request(_) => {
                    vec![ClientEffect::SendToTab { tab: tab.clone(), frame: unavailable.encode() }]
                }
                _ => Vec::new(),
            };
        };
        let mut out = Vec::new();
        match engine.receive(from, request, &mut out) {
            Ok(()) => {
                let mut effects = self.effects(doc, out);
                // Presence from a tab is news to this tab's own view too.
                if let DocRequest::Ephemeral { sender, data, .. } = request {
                    effects.push(ClientEffect::Ephemeral { doc, from: sender.clone(), data: data.clone() });
                }
                effects
            }
            Err(e) => {
                self.tab_left(tab);
                let error = Message::Error { message: e.to_string() }.encode();
                vec![ClientEffect::SendToTab { tab: tab.clone(), frame: error }]
            }
        }
    }
}
