//! Classification of a corpus of real-world shaped payloads (`tests/fixtures/scanner/
//! payloads.toml`): payment and app links, product and drug codes, GS1, vCards, Wi-Fi codes,
//! script and file URLs, escape sequences, bidi tricks, look-alike hosts, our own codes intact,
//! shared and tampered, GBK text and binary. Plus a long-text sample at the length bound.

use serde::Deserialize;
use zhengwu_kiosk::devices::scanner::text::MAX_PAYLOAD;
use zhengwu_kiosk::devices::scanner::{Classifier, Payload, ReceiptCodec, ReceiptKey};

#[derive(Deserialize)]
struct Corpus {
    payload: Vec<Entry>,
}

#[derive(Deserialize)]
struct Entry {
    name: String,
    text: Option<String>,
    hex: Option<String>,
    gbk: Option<String>,
    kind: String,
    shape: Option<String>,
    host: Option<String>,
    reason: Option<String>,
}

impl Entry {
    fn bytes(&self) -> Vec<u8> {
        if let Some(t) = &self.text {
            return t.as_bytes().to_vec();
        }
        if let Some(h) = &self.hex {
            return (0..h.len())
                .step_by(2)
                .map(|i| u8::from_str_radix(&h[i..i + 2], 16).expect("hex"))
                .collect();
        }
        let g = self.gbk.as_deref().expect("text, hex or gbk");
        encoding_rs::GBK.encode(g).0.into_owned()
    }
}

fn classifier() -> Classifier {
    Classifier::new(ReceiptCodec::new("zwfw.example.gov.cn", ReceiptKey::demo()).expect("codec"))
}

#[test]
fn every_corpus_payload_gets_its_expected_classification() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/scanner/payloads.toml");
    let corpus: Corpus =
        toml::from_str(&std::fs::read_to_string(path).expect("corpus")).expect("toml");
    assert!(corpus.payload.len() >= 30);
    let c = classifier();
    let mut kinds = std::collections::BTreeSet::new();
    for e in &corpus.payload {
        let scan = c.classify(&e.bytes());
        let json = scan.to_json();
        assert_eq!(scan.payload.kind(), e.kind, "{}: {json}", e.name);
        kinds.insert(e.kind.clone());
        if let Some(shape) = &e.shape {
            assert_eq!(json["shape"], shape.as_str(), "{}: {json}", e.name);
        }
        if let Some(host) = &e.host {
            assert_eq!(json["host"], host.as_str(), "{}: {json}", e.name);
        }
        if let Some(reason) = &e.reason {
            assert_eq!(json["reason"], reason.as_str(), "{}: {json}", e.name);
        }
        // Whatever came in, the technician's JSON never carries a control character.
        assert!(
            !json.to_string().chars().any(|ch| ch.is_control()),
            "{}: {json}",
            e.name
        );
        if let Payload::Login(l) = &scan.payload {
            assert!(!json.to_string().contains(l.token.expose()), "{}", e.name);
        }
    }
    assert_eq!(kinds.len(), 4, "the corpus covers every kind");
}

#[test]
fn long_text_at_and_over_the_bound() {
    let c = classifier();
    let at = "政务".repeat(MAX_PAYLOAD / 6);
    let scan = c.classify(at.as_bytes());
    assert_eq!(scan.payload.kind(), "unknown");
    assert_eq!(scan.to_json()["shape"], "text");
    let over = "A".repeat(MAX_PAYLOAD + 1);
    assert_eq!(c.classify(over.as_bytes()).to_json()["reason"], "too-long");
}
