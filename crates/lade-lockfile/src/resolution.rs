use std::fmt;

use indexmap::IndexMap;
use lade_types::Integrity;
use serde::de::{self, MapAccess, Visitor};
use serde::{Deserialize, Deserializer};
use serde_json::{Map, Value};

/// Where a package's contents come from (`packages.*.resolution`).
#[derive(Clone, Debug, PartialEq)]
pub enum Resolution {
    /// `{integrity}`: a registry tarball whose URL follows from the name and version.
    Registry { integrity: Integrity },
    /// `{tarball, integrity?}`: a tarball at a URL or a local `file:` path.
    Tarball {
        tarball: String,
        integrity: Option<Integrity>,
        path: Option<String>,
        git_hosted: Option<bool>,
    },
    /// `{type: directory, directory}`: a local directory.
    Directory { directory: String },
    /// `{type: git, repo, commit, path?}`.
    Git { repo: String, commit: String, path: Option<String> },
    /// A resolution lade does not install itself (`variations`, `binary`, `custom:*`), kept as
    /// written.
    Other(IndexMap<String, Value>),
}

impl Resolution {
    pub fn integrity(&self) -> Option<&Integrity> {
        match self {
            Resolution::Registry { integrity } => Some(integrity),
            Resolution::Tarball { integrity, .. } => integrity.as_ref(),
            _ => None,
        }
    }

    /// The fields as the lockfile writes them, unsorted.
    pub(crate) fn to_json(&self) -> Map<String, Value> {
        let mut fields = Map::new();
        let mut put = |key: &str, value: Value| {
            fields.insert(key.to_owned(), value);
        };
        match self {
            Resolution::Registry { integrity } => put("integrity", integrity.to_string().into()),
            Resolution::Tarball { tarball, integrity, path, git_hosted } => {
                if let Some(integrity) = integrity {
                    put("integrity", integrity.to_string().into());
                }
                put("tarball", tarball.as_str().into());
                if let Some(path) = path {
                    put("path", path.as_str().into());
                }
                if let Some(git_hosted) = git_hosted {
                    put("gitHosted", (*git_hosted).into());
                }
            }
            Resolution::Directory { directory } => {
                put("directory", directory.as_str().into());
                put("type", "directory".into());
            }
            Resolution::Git { repo, commit, path } => {
                put("commit", commit.as_str().into());
                put("repo", repo.as_str().into());
                put("type", "git".into());
                if let Some(path) = path {
                    put("path", path.as_str().into());
                }
            }
            Resolution::Other(other) => {
                for (key, value) in other {
                    put(key, value.clone());
                }
            }
        }
        fields
    }
}

impl<'de> Deserialize<'de> for Resolution {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_map(ResolutionVisitor)
    }
}

struct ResolutionVisitor;

impl<'de> Visitor<'de> for ResolutionVisitor {
    type Value = Resolution;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(
            "a resolution object ({integrity}, {tarball}, {type: directory} or {type: git})",
        )
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Resolution, A::Error> {
        let mut fields: IndexMap<String, Value> = IndexMap::new();
        while let Some(key) = map.next_key::<String>()? {
            let value = map.next_value::<Value>()?;
            fields.insert(key, value);
        }
        classify(fields).map_err(de::Error::custom)
    }
}

fn classify(fields: IndexMap<String, Value>) -> Result<Resolution, String> {
    let text = |key: &str| -> Result<Option<String>, String> {
        match fields.get(key) {
            None => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.clone())),
            Some(other) => Err(format!("resolution.{key} must be a string, found {other}")),
        }
    };
    let required = |key: &str| text(key)?.ok_or_else(|| format!("resolution has no {key}"));
    let integrity = |raw: Option<String>| {
        raw.map(|raw| Integrity::parse(&raw).map_err(|err| err.to_string())).transpose()
    };
    let known = |allowed: &[&str]| fields.keys().all(|key| allowed.contains(&key.as_str()));
    match fields.get("type").and_then(Value::as_str) {
        Some("directory") if known(&["type", "directory"]) => {
            Ok(Resolution::Directory { directory: required("directory")? })
        }
        Some("git") if known(&["type", "repo", "commit", "path"]) => Ok(Resolution::Git {
            repo: required("repo")?,
            commit: required("commit")?,
            path: text("path")?,
        }),
        None if fields.contains_key("tarball")
            && known(&["tarball", "integrity", "path", "gitHosted"]) =>
        {
            let git_hosted = match fields.get("gitHosted") {
                None => None,
                Some(Value::Bool(b)) => Some(*b),
                Some(other) => {
                    return Err(format!("resolution.gitHosted must be a boolean, found {other}"));
                }
            };
            Ok(Resolution::Tarball {
                tarball: required("tarball")?,
                integrity: integrity(text("integrity")?)?,
                path: text("path")?,
                git_hosted,
            })
        }
        None if known(&["integrity"]) => {
            let integrity =
                integrity(Some(required("integrity")?))?.ok_or("resolution has no integrity")?;
            Ok(Resolution::Registry { integrity })
        }
        _ => Ok(Resolution::Other(fields)),
    }
}
