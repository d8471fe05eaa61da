//! Matcher throughput (MB/s) on text with and without keywords, through the real engine with the built-in rules.
//!
//! `cargo bench --bench matcher`. Compare the groups in one run: "no keywords" is the keyword gate's floor (one
//! pass over the text); "keywords, no secrets" adds the windowed regex confirm; "dense secrets" is the worst case.
//! "rule count" runs the whole engine and "keyword gate" the gate alone with the 40 rules of `forty-rules.txt`, all
//! built-in rules and 10×
//! as many (synthetic) rules.
use credsweep::{
    engine::{Engine, Scratch},
    prefilter::Prefilter,
    rules::RuleSet,
};
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};

/// Real-looking source text: varied identifiers and punctuation, deterministic.
fn code_text(len: usize, seed: u64) -> Vec<u8> {
    const WORDS: &[&str] = &[
        "fn", "let", "mut", "self", "return", "match", "config", "value", "request", "response", "buffer", "index",
        "error", "result", "Option", "String", "vec!", "impl", "struct", "pub", "use", "std::io", "file", "path",
        "len", "iter", "map", "collect", "async", "await", "client", "server", "handler", "parse", "format!", "user",
    ];
    let mut x = seed | 1;
    let mut out = Vec::with_capacity(len + 64);
    while out.len() < len {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        let w = WORDS[(x % WORDS.len() as u64) as usize];
        out.extend_from_slice(w.as_bytes());
        out.push(match x % 11 {
            0 => b'\n',
            1 => b'(',
            2 => b'.',
            3 => b';',
            _ => b' ',
        });
    }
    out.truncate(len);
    out
}

/// Real text: this repository's own Rust sources, scripts and READMEs (no rules, tests or fixtures: those hold
/// example tokens; no generated tables), repeated to `len` bytes. Code and prose as people write them, with the English
/// word fragments that synthetic text lacks, and the same in every checkout.
fn repo_text(len: usize) -> Vec<u8> {
    fn collect(dir: &std::path::Path, out: &mut Vec<u8>) {
        let mut entries: Vec<_> = std::fs::read_dir(dir).expect("readable").map(|e| e.expect("entry").path()).collect();
        entries.sort();
        for p in entries {
            if p.is_dir() {
                collect(&p, out);
            } else if p.extension().is_some_and(|x| x == "rs" || x == "md" || x == "py" || x == "sh") {
                let text = std::fs::read(&p).expect("readable");
                // Generated tables (the gate's n-grams) are data, not text as people write it.
                if !text.starts_with(b"// @generated") {
                    out.extend(text);
                }
            }
        }
    }
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut text = Vec::new();
    for dir in ["src", "registry/src", "scripts", "benches"] {
        collect(&root.join(dir), &mut text);
    }
    text.extend(std::fs::read(root.join("README.md")).expect("README"));
    text.iter().cycle().take(len).copied().collect()
}

fn bench(c: &mut Criterion) {
    let engine = Engine::new(RuleSet::load(&[]).expect("built-in rules"));
    let size = 4 << 20;
    let plain = code_text(size, 7);
    // Keywords that gate rules but no real secret: "password", "token", "https://", "AKIA" lookalikes.
    let mut with_kw = code_text(size, 9);
    let kw: &[&[u8]] = &[b" token = get(x) ", b" https://example.org/a ", b" api_key = config.value ", b" AKIA short "];
    for (i, chunk) in with_kw.chunks_mut(2048).enumerate() {
        let k = kw[i % kw.len()];
        if chunk.len() > k.len() {
            chunk[..k.len()].copy_from_slice(k);
        }
    }
    let mut dense = code_text(size, 11);
    let secret = b" aws_key = AKIAQ3EGRXZ5TPK7WJ4M ";
    for chunk in dense.chunks_mut(4096) {
        if chunk.len() > secret.len() {
            chunk[..secret.len()].copy_from_slice(secret);
        }
    }
    let mut g = c.benchmark_group("matcher");
    g.throughput(Throughput::Bytes(size as u64));
    g.sample_size(20);
    for (name, data) in [("no keywords", &plain), ("keywords, no secrets", &with_kw), ("dense secrets", &dense)] {
        let mut scratch = Scratch::default();
        g.bench_with_input(BenchmarkId::from_parameter(name), data, |b, d| {
            b.iter(|| engine.scan_with(d, &mut scratch).len())
        });
    }
    g.finish();

    // Throughput must stay flat when the rule count grows 10x: rules whose keywords don't occur cost (almost)
    // nothing, because only the keyword automaton sees every byte.
    let builtin = credsweep::rules::builtin_specs().expect("built-in rules");
    let mut specs = builtin.clone();
    let template = builtin.iter().find(|s| s.id == "github-pat-classic").expect("a template rule").clone();
    let extra = builtin.len() * 9;
    for i in 0..extra {
        let kw = format!("zq{i:04}x_");
        specs.push(credsweep::rules::RuleSpec {
            id: format!("synthetic-{i}"),
            keywords: vec![kw.clone()],
            pattern: format!(r"\b(?P<secret>{kw}[A-Za-z0-9]{{32}})\b"),
            validator: None,
            ..template.clone()
        });
    }
    let big = Engine::new(RuleSet::compile(specs).expect("10x rule set compiles"));
    // The 40-rule baseline of the scan benchmark (benches/forty-rules.txt) against today's full set: growing the rule
    // set must not slow the scan.
    let ids: Vec<String> =
        include_str!("forty-rules.txt").lines().filter(|l| !l.starts_with('#')).map(str::to_owned).collect();
    let mut forty = RuleSet::load(&[]).expect("built-in rules");
    forty.retain_ids(&ids).expect("the 40 ids exist");
    assert_eq!(forty.rules.len(), 40);
    let forty = Engine::new(forty);
    let mut g = c.benchmark_group("rule count");
    g.throughput(Throughput::Bytes(size as u64));
    g.sample_size(20);
    let real = repo_text(size);
    for (text, data) in [("code", &plain), ("code with keywords", &with_kw), ("repo text", &real)] {
        for (name, engine) in [("40 rules", &forty), ("all built-in rules", &engine), ("10x rules", &big)] {
            let mut scratch = Scratch::default();
            g.bench_with_input(BenchmarkId::new(name, text), data, |b, d| {
                b.iter(|| engine.scan_with(d, &mut scratch).len())
            });
        }
    }
    g.finish();

    // The gate alone: its cost must not grow with the keyword count either.
    let mut g = c.benchmark_group("keyword gate");
    g.throughput(Throughput::Bytes(size as u64));
    g.sample_size(20);
    for (text, data) in [("code", &plain), ("code with keywords", &with_kw), ("repo text", &real)] {
        for (name, engine) in [("40 rules", &forty), ("all built-in rules", &engine), ("10x rules", &big)] {
            let gate = Prefilter::new(engine.rules());
            let mut hits = Vec::new();
            g.bench_with_input(BenchmarkId::new(name, text), data, |b, d| {
                b.iter(|| {
                    hits.clear();
                    gate.hits(d, &mut hits);
                    hits.len()
                })
            });
        }
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
