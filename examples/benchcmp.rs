//! benchstat for perfkit benchmarks: compares two saved runs of `perfkit::bench` groups, or
//! prints one run as Go-style or Markdown tables.
//!
//! ```text
//! cargo bench --features bench -- --save-baseline before     # on the old code
//! cargo bench --features bench -- --save-baseline after      # on the new code
//! cargo run --release --features bench --example benchcmp -- before after
//! cargo run --release --features bench --example benchcmp -- --markdown after
//! ```
//!
//! A run is a baseline name (`target/perfkit-bench/baselines/<name>/`), `new` (the latest
//! benchmark run) or a directory of JSON reports.

#[cfg(feature = "bench")]
fn main() -> std::process::ExitCode {
    use std::process::ExitCode;

    use perfkit::bench::{compare, load_run, run_dir};

    const USAGE: &str = "usage: benchcmp OLD NEW | benchcmp --markdown RUN | benchcmp --table RUN\n\
        RUN: a baseline name (target/perfkit-bench/baselines/RUN), `new`, or a directory of reports";

    let args: Vec<String> = std::env::args().skip(1).collect();
    // `target/perfkit-bench/baselines/before` → `before`.
    let label = |run: &str| {
        let p = std::path::Path::new(run);
        p.file_name()
            .and_then(|n| n.to_str())
            .unwrap_or(run)
            .to_owned()
    };
    let load = |run: &str| {
        let dir = run_dir(run);
        match load_run(&dir) {
            Ok(r) if !r.is_empty() => Ok(r),
            Ok(_) => Err(format!(
                "{}: no reports (run `cargo bench --features bench` first)",
                dir.display()
            )),
            Err(e) => Err(format!("{}: {e}", dir.display())),
        }
    };
    let result = match args.iter().map(String::as_str).collect::<Vec<_>>()[..] {
        ["--markdown", run] | ["--table", run] => load(run).map(|reports| {
            let markdown = args[0] == "--markdown";
            if let Some(m) = reports.first().map(|r| &r.machine) {
                if markdown {
                    println!("Machine: {}.\n", m.summary());
                } else {
                    print!("{}", m.header());
                }
            }
            for r in &reports {
                println!(
                    "{}",
                    if markdown {
                        r.to_markdown()
                    } else {
                        r.to_table(false)
                    }
                );
            }
        }),
        [old, new] if !old.starts_with('-') && !new.starts_with('-') => {
            load(old).and_then(|olds| {
                let news = load(new)?;
                let mut any = false;
                for n in &news {
                    if let Some(o) = olds.iter().find(|o| o.group == n.group) {
                        println!("{}", compare(o, n, &label(old), &label(new)).to_table());
                        any = true;
                    } else {
                        println!("only in {new}: group {}\n", n.group);
                    }
                }
                for o in olds
                    .iter()
                    .filter(|o| !news.iter().any(|n| n.group == o.group))
                {
                    println!("only in {old}: group {}\n", o.group);
                }
                if any {
                    Ok(())
                } else {
                    Err(format!("{old} and {new} have no group in common"))
                }
            })
        }
        _ => Err(USAGE.to_owned()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("benchcmp: {e}");
            ExitCode::from(2)
        }
    }
}

#[cfg(not(feature = "bench"))]
fn main() -> std::process::ExitCode {
    eprintln!(
        "benchcmp needs the `bench` feature: cargo run --example benchcmp --features bench -- OLD NEW"
    );
    std::process::ExitCode::from(2)
}
