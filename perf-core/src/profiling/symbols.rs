//! Turning raw return addresses into a pprof [`Profile`]: symbolization (cached for the life
//! of the process), the executable mappings of `/proc/self/maps`, and interning of strings,
//! functions and locations.

use std::collections::HashMap;
use std::ffi::c_void;
use std::io::Write as _;
use std::sync::{Arc, Mutex, OnceLock};

use super::proto::{Function, Label, Line, Location, Mapping, Profile, Sample, ValueType};

/// One source frame of an address; an address has several when calls were inlined.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct SourceFrame {
    /// Demangled, without the hash suffix.
    pub(crate) name: String,
    /// As in the symbol table.
    pub(crate) system_name: String,
    pub(crate) file: String,
    pub(crate) line: u32,
}

type Resolved = Arc<[SourceFrame]>;

fn cache() -> &'static Mutex<HashMap<u64, Resolved>> {
    static CACHE: OnceLock<Mutex<HashMap<u64, Resolved>>> = OnceLock::new();
    CACHE.get_or_init(Default::default)
}

/// The source frames of `addr` (a return address or an interrupted pc), innermost first.
pub(crate) fn resolve(addr: u64) -> Resolved {
    if let Some(r) = cache().lock().unwrap_or_else(|e| e.into_inner()).get(&addr) {
        return Arc::clone(r);
    }
    let mut frames = Vec::new();
    backtrace::resolve(addr as usize as *mut c_void, |sym| {
        let (name, system_name) = match sym.name() {
            Some(n) => (format!("{n:#}"), n.as_str().unwrap_or_default().to_owned()),
            None => return,
        };
        frames.push(SourceFrame {
            name,
            system_name,
            file: sym
                .filename()
                .map(|p| p.display().to_string())
                .unwrap_or_default(),
            line: sym.lineno().unwrap_or(0),
        });
    });
    let resolved: Resolved = frames.into();
    cache()
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .insert(addr, Arc::clone(&resolved));
    resolved
}

/// The outermost function name of `addr`, if it resolves.
pub(crate) fn outer_name(addr: u64) -> Option<String> {
    resolve(addr).last().map(|f| f.name.clone())
}

/// An executable mapping of this process, from `/proc/self/maps`.
#[derive(Clone, Debug)]
pub(crate) struct MapEntry {
    start: u64,
    limit: u64,
    offset: u64,
    path: String,
}

impl MapEntry {
    pub(crate) fn start(&self) -> u64 {
        self.start
    }
    pub(crate) fn limit(&self) -> u64 {
        self.limit
    }
    pub(crate) fn path(&self) -> &str {
        &self.path
    }
}

pub(crate) fn executable_mappings() -> Vec<MapEntry> {
    let Ok(maps) = std::fs::read_to_string("/proc/self/maps") else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for line in maps.lines() {
        let mut parts = line.split_whitespace();
        let (Some(range), Some(perms), Some(offset)) = (parts.next(), parts.next(), parts.next())
        else {
            continue;
        };
        let path = parts.nth(2).unwrap_or("");
        if !perms.contains('x') || path.is_empty() {
            continue;
        }
        let Some((start, limit)) = range.split_once('-') else {
            continue;
        };
        let (Ok(start), Ok(limit), Ok(offset)) = (
            u64::from_str_radix(start, 16),
            u64::from_str_radix(limit, 16),
            u64::from_str_radix(offset, 16),
        ) else {
            continue;
        };
        out.push(MapEntry {
            start,
            limit,
            offset,
            path: path.to_owned(),
        });
    }
    out
}

/// A sample label value.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub(crate) enum LabelValue {
    Str(String),
    Num(i64, &'static str),
}

/// Builds one [`Profile`], interning strings, functions, locations and mappings.
pub(crate) struct Builder {
    profile: Profile,
    strings: HashMap<String, i64>,
    functions: HashMap<(String, String), u64>,
    locations: HashMap<u64, u64>,
    mappings: Vec<(MapEntry, u64)>,
    used_mappings: Vec<bool>,
}

impl Builder {
    /// A profile with these `(type, unit)` sample types and period.
    pub(crate) fn new(
        sample_types: &[(&str, &str)],
        period_type: (&str, &str),
        period: i64,
    ) -> Self {
        let mut b = Self {
            profile: Profile::default(),
            strings: HashMap::new(),
            functions: HashMap::new(),
            locations: HashMap::new(),
            mappings: Vec::new(),
            used_mappings: Vec::new(),
        };
        b.string("");
        for (ty, unit) in sample_types {
            let vt = ValueType {
                r#type: b.string(ty),
                unit: b.string(unit),
            };
            b.profile.sample_type.push(vt);
        }
        let pt = ValueType {
            r#type: b.string(period_type.0),
            unit: b.string(period_type.1),
        };
        b.profile.period_type = Some(pt);
        b.profile.period = period;
        let maps = executable_mappings();
        b.used_mappings = vec![false; maps.len()];
        b.mappings = maps.into_iter().zip(1..).collect();
        b
    }

    /// Sets the profile's start time and duration.
    pub(crate) fn timing(&mut self, start: std::time::SystemTime, duration: std::time::Duration) {
        let since = start
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap_or_default();
        self.profile.time_nanos = i64::try_from(since.as_nanos()).unwrap_or(i64::MAX);
        self.profile.duration_nanos = i64::try_from(duration.as_nanos()).unwrap_or(i64::MAX);
    }

    /// Index of the sample type `go tool pprof` shows by default.
    pub(crate) fn default_sample_type(&mut self, ty: &str) {
        self.profile.default_sample_type = self.string(ty);
    }

    /// Adds a comment line (`go tool pprof -comments`).
    pub(crate) fn comment(&mut self, text: &str) {
        let c = self.string(text);
        self.profile.comment.push(c);
    }

    pub(crate) fn string(&mut self, s: &str) -> i64 {
        if let Some(&i) = self.strings.get(s) {
            return i;
        }
        let i = self.profile.string_table.len() as i64;
        self.profile.string_table.push(s.to_owned());
        self.strings.insert(s.to_owned(), i);
        i
    }

    fn function(&mut self, f: &SourceFrame) -> u64 {
        let key = (f.system_name.clone(), f.file.clone());
        if let Some(&id) = self.functions.get(&key) {
            return id;
        }
        let id = self.profile.function.len() as u64 + 1;
        let func = Function {
            id,
            name: self.string(&f.name),
            system_name: self.string(&f.system_name),
            filename: self.string(&f.file),
            start_line: 0,
        };
        self.profile.function.push(func);
        self.functions.insert(key, id);
        id
    }

    fn location(&mut self, addr: u64) -> u64 {
        if let Some(&id) = self.locations.get(&addr) {
            return id;
        }
        let id = self.profile.location.len() as u64 + 1;
        let mapping_id = match self
            .mappings
            .iter()
            .position(|(m, _)| m.start <= addr && addr < m.limit)
        {
            Some(i) => {
                self.used_mappings[i] = true;
                self.mappings[i].1
            }
            None => 0,
        };
        let frames = resolve(addr);
        let line = frames
            .iter()
            .map(|f| Line {
                function_id: self.function(f),
                line: i64::from(f.line),
                column: 0,
            })
            .collect();
        self.profile.location.push(Location {
            id,
            mapping_id,
            address: addr,
            line,
            is_folded: false,
        });
        self.locations.insert(addr, id);
        id
    }

    /// Adds a sample whose stack is `stack` (raw addresses, leaf first).
    pub(crate) fn sample(&mut self, stack: &[u64], value: Vec<i64>, labels: &[(&str, LabelValue)]) {
        // The outermost frame of a thread often reads as address 0: the end of the chain.
        let location_id = stack
            .iter()
            .filter(|&&a| a != 0)
            .map(|&a| self.location(a))
            .collect();
        let label = labels
            .iter()
            .map(|(k, v)| match v {
                LabelValue::Str(s) => Label {
                    key: self.string(k),
                    str: self.string(s),
                    num: 0,
                    num_unit: 0,
                },
                LabelValue::Num(n, unit) => {
                    let num_unit = if unit.is_empty() {
                        0
                    } else {
                        self.string(unit)
                    };
                    Label {
                        key: self.string(k),
                        str: 0,
                        num: *n,
                        num_unit,
                    }
                }
            })
            .collect();
        self.profile.sample.push(Sample {
            location_id,
            value,
            label,
        });
    }

    /// The profile, with the mappings its locations fall in.
    pub(crate) fn finish(mut self) -> Profile {
        let mappings = std::mem::take(&mut self.mappings);
        for (i, (m, id)) in mappings.into_iter().enumerate() {
            if !self.used_mappings[i] {
                continue;
            }
            let filename = self.string(&m.path);
            self.profile.mapping.push(Mapping {
                id,
                memory_start: m.start,
                memory_limit: m.limit,
                file_offset: m.offset,
                filename,
                build_id: 0,
                has_functions: true,
                has_filenames: true,
                has_line_numbers: true,
                has_inline_frames: true,
            });
        }
        self.profile
    }
}

/// The profile as gzip'd protobuf, the format `go tool pprof` fetches.
pub(crate) fn gzip(profile: &Profile) -> Vec<u8> {
    use prost::Message;
    let raw = profile.encode_to_vec();
    let mut enc = flate2::write::GzEncoder::new(
        Vec::with_capacity(raw.len() / 2),
        flate2::Compression::default(),
    );
    // Writing into a Vec cannot fail.
    enc.write_all(&raw).expect("gzip into memory");
    enc.finish().expect("gzip into memory")
}
