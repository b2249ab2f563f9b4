use std::fmt;

use serde::de::{MapAccess, Visitor};
use serde::{Deserialize, Deserializer};
use serde_json::Value;

use crate::PackageManifest;

impl<'de> Deserialize<'de> for PackageManifest {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_map(ManifestVisitor)
    }
}

/// Reads fields one by one (rather than through `#[serde(flatten)]`) so a type error is reported
/// at the offending value's own line and column. A repeated key keeps its first position and its
/// last value, as `JSON.parse` does.
struct ManifestVisitor;

impl<'de> Visitor<'de> for ManifestVisitor {
    type Value = PackageManifest;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a package.json object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<PackageManifest, A::Error> {
        let mut m = PackageManifest::default();
        while let Some(key) = map.next_key::<String>()? {
            match key.as_str() {
                "name" => m.name = map.next_value()?,
                "version" => m.version = map.next_value()?,
                "dependencies" => m.dependencies = map.next_value()?,
                "devDependencies" => m.dev_dependencies = map.next_value()?,
                "optionalDependencies" => m.optional_dependencies = map.next_value()?,
                "peerDependencies" => m.peer_dependencies = map.next_value()?,
                "peerDependenciesMeta" => m.peer_dependencies_meta = map.next_value()?,
                "dependenciesMeta" => m.dependencies_meta = map.next_value()?,
                "bundledDependencies" => m.bundled_dependencies = map.next_value()?,
                "bundleDependencies" => m.bundle_dependencies = map.next_value()?,
                "bin" => m.bin = map.next_value()?,
                "directories" => m.directories = map.next_value()?,
                "scripts" => m.scripts = map.next_value()?,
                "engines" => m.engines = map.next_value()?,
                "os" => m.os = map.next_value()?,
                "cpu" => m.cpu = map.next_value()?,
                "libc" => m.libc = map.next_value()?,
                "publishConfig" => m.publish_config = map.next_value()?,
                "pnpm" => m.pnpm = map.next_value()?,
                "resolutions" => m.resolutions = map.next_value()?,
                "packageManager" => m.package_manager = map.next_value()?,
                "workspaces" => m.workspaces = map.next_value()?,
                _ => {
                    let value: Value = map.next_value()?;
                    m.other.insert(key.clone(), value);
                }
            }
            m.key_order.insert(key);
        }
        Ok(m)
    }
}
