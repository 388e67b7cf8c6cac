//! What the fuzz targets share: read bytes as one format, write the result
//! in every format, and check that a second read → write changes nothing.

use pubconv::model::Library;
use pubconv::read::{decode, InputFormat, ReadOptions, Source};
use pubconv::write::{Options, OutputFormat};

fn read(format: InputFormat, text: &str) -> Library {
    let source = Source { name: "fuzz", text };
    format.read(source, &ReadOptions::default()).library
}

/// Reads `bytes` as `format` and writes what came out in every format.
pub fn read_and_write(format: InputFormat, bytes: &[u8]) {
    let (text, _) = decode(bytes, "fuzz");
    let library = read(format, &text);
    for output in OutputFormat::ALL {
        output.write(&library, &Options::default());
    }
}

/// One round-trip case: the first byte picks the input format and the
/// format written through, the rest is the input.
pub fn round_trip_case(bytes: &[u8]) {
    let Some((&choice, input)) = bytes.split_first() else {
        return;
    };
    let from = [
        InputFormat::Bibtex,
        InputFormat::CslJson,
        InputFormat::Profile,
    ];
    let through = [
        OutputFormat::Bibtex,
        OutputFormat::Biblatex,
        OutputFormat::CslJson,
    ];
    let from = from[usize::from(choice % 3)];
    let through = through[usize::from(choice / 3 % 3)];
    round_trip(from, through, input);
}

/// Reads `bytes` as `from`, then writes and reads the result as `through`
/// twice: the second reading must give the same model as the first. (The
/// first write may normalise; after that, writing and reading is a fixed
/// point, or a conversion would drift each time a file is converted.)
pub fn round_trip(from: InputFormat, through: OutputFormat, bytes: &[u8]) {
    let back = match through {
        OutputFormat::Bibtex | OutputFormat::Biblatex => InputFormat::Bibtex,
        OutputFormat::CslJson => InputFormat::CslJson,
        OutputFormat::Markdown => return,
    };
    let (text, _) = decode(bytes, "fuzz");
    let options = Options::default();
    let first = through.write(&read(from, &text), &options);
    let once = read(back, &first);
    let second = through.write(&once, &options);
    let twice = read(back, &second);
    if once != twice {
        panic!(
            "{} → {} → {} drifts\n--- first write\n{first}\n--- second write\n{second}",
            from.name(),
            through.name(),
            back.name()
        );
    }
}
