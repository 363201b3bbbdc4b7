//! The cluster key: with one set, every peer batch carries an HMAC-SHA256
//! of its body under the key, and a node acts only on batches whose
//! signature verifies (compared in constant time). A stranger without the
//! key can neither forge a batch nor learn the key from one, since the key
//! itself never crosses the network. A recorded batch can be replayed,
//! which Raft shrugs off as it does a duplicated packet: an old term's
//! messages change nothing.

use hmac::{Hmac, Mac};
use sha2::Sha256;

/// The header a signed batch carries: the HMAC in lowercase hex.
pub const SIGNATURE_HEADER: &str = "x-quorum-signature";

#[derive(Clone)]
pub struct ClusterKey(Hmac<Sha256>);

/// Never the key itself, in a log or an error.
impl std::fmt::Debug for ClusterKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ClusterKey(..)")
    }
}

impl ClusterKey {
    /// `None` for an empty key, which would sign nothing worth checking.
    pub fn new(key: &str) -> Option<ClusterKey> {
        if key.is_empty() {
            return None;
        }
        Some(ClusterKey(
            Hmac::new_from_slice(key.as_bytes()).expect("HMAC takes a key of any length"),
        ))
    }

    pub fn sign(&self, body: &[u8]) -> String {
        let mut mac = self.0.clone();
        mac.update(body);
        mac.finalize()
            .into_bytes()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect()
    }

    /// Whether `signature` (hex) is this key's HMAC of `body`.
    pub fn verify(&self, body: &[u8], signature: &[u8]) -> bool {
        let Some(tag) = unhex(signature) else {
            return false;
        };
        let mut mac = self.0.clone();
        mac.update(body);
        // verify_slice compares in constant time.
        mac.verify_slice(&tag).is_ok()
    }
}

fn unhex(text: &[u8]) -> Option<Vec<u8>> {
    let digit = |c: u8| (c as char).to_digit(16).map(|d| d as u8);
    if !text.len().is_multiple_of(2) {
        return None;
    }
    text.chunks(2)
        .map(|pair| Some(digit(pair[0])? << 4 | digit(pair[1])?))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_signature_verifies_only_for_its_key_and_body() {
        let key = ClusterKey::new("secret").unwrap();
        let signature = key.sign(b"{\"from\":0}");
        assert_eq!(signature.len(), 64);
        assert!(key.verify(b"{\"from\":0}", signature.as_bytes()));
        assert!(!key.verify(b"{\"from\":1}", signature.as_bytes()));
        let other = ClusterKey::new("secreT").unwrap();
        assert!(!other.verify(b"{\"from\":0}", signature.as_bytes()));
        for bad in [
            "",
            "zz",
            "abc",
            &signature[..62],
            &signature.to_uppercase()[..63],
        ] {
            assert!(!key.verify(b"{\"from\":0}", bad.as_bytes()), "{bad}");
        }
        // Hex in upper case is the same tag.
        assert!(key.verify(b"{\"from\":0}", signature.to_uppercase().as_bytes()));
        assert!(ClusterKey::new("").is_none());
    }
}
