//! The `package_index.data` codec: [`PackageFilesIndex`] to and from msgpackr-records bytes,
//! read as pnpm 11 (msgpackr) and pnpm 12 write them, written as msgpackr would write them.

mod reader;
mod writer;

use std::collections::BTreeMap;

use serde_json::Value;

use crate::{FileDigest, FileInfo, PackageFiles, PackageFilesIndex, SideEffectsDiff, StoreError};
use reader::{Reader, Token};
use writer::{TooLarge, Writer};

/// The only digest algorithm pnpm writes into rows.
const ALGO: &str = "sha512";

/// Decodes one `package_index.data` blob, written by pnpm 11, pnpm 12 or lade, records or plain
/// MessagePack. Fields this model does not know are skipped.
pub fn decode_package_files_index(bytes: &[u8]) -> Result<PackageFilesIndex, StoreError> {
    let mut reader = Reader::new(bytes);
    let mut index = PackageFilesIndex::default();
    let (mut algo, mut files) = (None, None);
    reader.object(|reader, key| {
        match key {
            "algo" => algo = Some(reader.string()?),
            "files" => files = Some(read_files(reader)?),
            "manifest" => {
                index.manifest = if reader.take_nil()? { None } else { Some(read_json(reader)?) }
            }
            "requiresBuild" => index.requires_build = reader.optional_bool()?,
            "sideEffects" => index.side_effects = read_side_effects(reader)?,
            "tarIntegrity" => index.tar_integrity = reader.optional_string()?.map(str::to_owned),
            _ => reader.skip()?,
        }
        Ok(())
    })?;
    if !reader.at_end() {
        return Err(reader.error("bytes left after the row"));
    }
    if algo != Some(ALGO) {
        return Err(reader.error("digest algorithm is not sha512"));
    }
    index.files = files.ok_or_else(|| reader.error("row has no files"))?;
    Ok(index)
}

fn read_files(reader: &mut Reader<'_>) -> Result<PackageFiles, StoreError> {
    let mut files = Vec::new();
    reader.object(|reader, path| {
        files.push((path.to_owned(), read_file_info(reader)?));
        Ok(())
    })?;
    // Building the map from the whole list sorts once (rows usually arrive sorted) instead of
    // searching the tree per file; of equal paths the last is kept, as with insertion.
    Ok(files.into_iter().collect())
}

fn read_file_info(reader: &mut Reader<'_>) -> Result<FileInfo, StoreError> {
    let (mut digest, mut mode, mut size, mut checked_at) = (None, None, None, None);
    reader.object(|reader, key| {
        match key {
            "digest" => {
                let hex = reader.string_bytes()?;
                digest = Some(
                    FileDigest::from_hex(hex)
                        .ok_or_else(|| reader.error("file digest is not 128 hex digits"))?,
                );
            }
            "mode" => {
                let value = reader.unsigned()?;
                mode = Some(u32::try_from(value).map_err(|_| reader.error("file mode too large"))?);
            }
            "size" => size = Some(reader.unsigned()?),
            "checkedAt" => checked_at = reader.optional_number()?,
            _ => reader.skip()?,
        }
        Ok(())
    })?;
    match (digest, mode, size) {
        (Some(digest), Some(mode), Some(size)) => Ok(FileInfo { digest, mode, size, checked_at }),
        _ => Err(reader.error("file entry lacks digest, mode or size")),
    }
}

fn read_side_effects(
    reader: &mut Reader<'_>,
) -> Result<Option<BTreeMap<String, SideEffectsDiff>>, StoreError> {
    if reader.take_nil()? {
        return Ok(None);
    }
    let mut all = BTreeMap::new();
    reader.object(|reader, cache_key| {
        let mut diff = SideEffectsDiff::default();
        reader.object(|reader, key| {
            match key {
                "added" if !reader.take_nil()? => diff.added = Some(read_files(reader)?),
                "deleted" if !reader.take_nil()? => diff.deleted = Some(read_strings(reader)?),
                "added" | "deleted" => {}
                _ => reader.skip()?,
            }
            Ok(())
        })?;
        all.insert(cache_key.to_owned(), diff);
        Ok(())
    })?;
    Ok(Some(all))
}

fn read_strings(reader: &mut Reader<'_>) -> Result<Vec<String>, StoreError> {
    let Token::Array(len) = reader.next()? else {
        return Err(reader.error("expected an array"));
    };
    (0..len).map(|_| reader.string().map(str::to_owned)).collect()
}

/// Records and maps become JSON objects, so a manifest reads the same from any writer.
fn read_json(reader: &mut Reader<'_>) -> Result<Value, StoreError> {
    let token = reader.next()?;
    Ok(match token {
        Token::Nil | Token::Undefined => Value::Null,
        Token::Bool(value) => Value::Bool(value),
        Token::UInt(n) => Value::from(n),
        Token::Int(n) => Value::from(n),
        Token::Float(f) => json_number(f),
        Token::Str(text) => Value::String(text.to_owned()),
        Token::Array(len) => {
            let items: Vec<Value> =
                reader.nested(|reader| (0..len).map(|_| read_json(reader)).collect())?;
            Value::Array(items)
        }
        Token::Map(len) => reader.nested(|reader| {
            // Each entry takes two bytes at least; a lying length must not size the allocation.
            let mut object = serde_json::Map::with_capacity(len.min(reader.remaining() / 2));
            for _ in 0..len {
                let key = reader.string()?.to_owned();
                object.insert(key, read_json(reader)?);
            }
            Ok(Value::Object(object))
        })?,
        Token::Record(record) => reader.nested(|reader| {
            let mut object = serde_json::Map::with_capacity(record.len());
            for index in 0..record.len() {
                let key = reader.field_name(record, index).to_owned();
                object.insert(key, read_json(reader)?);
            }
            Ok(Value::Object(object))
        })?,
        Token::Bin(_) | Token::Ext => return Err(reader.error("manifest holds a non-JSON value")),
    })
}

/// JavaScript numbers that are integers come back as JSON integers, as `JSON.stringify` prints them.
fn json_number(f: f64) -> Value {
    if f.fract() == 0.0 && f.abs() < 9_007_199_254_740_992.0 {
        if f >= 0.0 { Value::from(f as u64) } else { Value::from(f as i64) }
    } else {
        serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)
    }
}

/// Encodes a row the way pnpm writes it, so pnpm 11 (msgpackr) reads back plain objects for the
/// row, its manifest and each file entry, and `Map`s for `files` and `sideEffects`.
pub fn encode_package_files_index(
    key: &str,
    index: &PackageFilesIndex,
) -> Result<Vec<u8>, StoreError> {
    let too_large = |TooLarge| StoreError::IndexEncode {
        key: key.to_owned(),
        reason: "a length exceeds MessagePack's 32-bit limit",
    };
    let mut writer = Writer::new();
    write_row(&mut writer, index).map_err(too_large)?;
    Ok(writer.finish())
}

fn write_row<'a>(writer: &mut Writer<'a>, index: &'a PackageFilesIndex) -> Result<(), TooLarge> {
    // pnpm 12.21's field order; optional fields are left out rather than written as nil.
    let mut keys = Vec::with_capacity(6);
    keys.push("algo");
    if index.requires_build.is_some() {
        keys.push("requiresBuild");
    }
    if index.manifest.is_some() {
        keys.push("manifest");
    }
    keys.push("files");
    if index.side_effects.is_some() {
        keys.push("sideEffects");
    }
    if index.tar_integrity.is_some() {
        keys.push("tarIntegrity");
    }
    writer.record(&keys)?;
    writer.str(ALGO)?;
    if let Some(requires_build) = index.requires_build {
        writer.bool(requires_build);
    }
    if let Some(manifest) = &index.manifest {
        write_json(writer, manifest)?;
    }
    write_files(writer, &index.files)?;
    if let Some(side_effects) = &index.side_effects {
        writer.map_header(side_effects.len())?;
        for (cache_key, diff) in side_effects {
            writer.str(cache_key)?;
            write_side_effects_diff(writer, diff)?;
        }
    }
    if let Some(tar_integrity) = &index.tar_integrity {
        writer.str(tar_integrity)?;
    }
    Ok(())
}

fn write_files<'a>(writer: &mut Writer<'a>, files: &'a PackageFiles) -> Result<(), TooLarge> {
    const WITH_CHECKED_AT: &[&str] = &["digest", "mode", "size", "checkedAt"];
    const WITHOUT_CHECKED_AT: &[&str] = &["digest", "mode", "size"];
    writer.map_header(files.len())?;
    for (path, info) in files {
        writer.str(path)?;
        writer.record(if info.checked_at.is_some() {
            WITH_CHECKED_AT
        } else {
            WITHOUT_CHECKED_AT
        })?;
        let hex = info.digest.hex_bytes();
        writer.str(std::str::from_utf8(&hex).unwrap_or_default())?;
        writer.unsigned(u64::from(info.mode));
        writer.unsigned(info.size);
        if let Some(checked_at) = info.checked_at {
            writer.number(checked_at);
        }
    }
    Ok(())
}

fn write_side_effects_diff<'a>(
    writer: &mut Writer<'a>,
    diff: &'a SideEffectsDiff,
) -> Result<(), TooLarge> {
    let mut keys = Vec::with_capacity(2);
    if diff.added.is_some() {
        keys.push("added");
    }
    if diff.deleted.is_some() {
        keys.push("deleted");
    }
    writer.record(&keys)?;
    if let Some(added) = &diff.added {
        write_files(writer, added)?;
    }
    if let Some(deleted) = &diff.deleted {
        writer.array_header(deleted.len())?;
        for path in deleted {
            writer.str(path)?;
        }
    }
    Ok(())
}

fn write_json<'a>(writer: &mut Writer<'a>, value: &'a Value) -> Result<(), TooLarge> {
    match value {
        Value::Null => writer.nil(),
        Value::Bool(value) => writer.bool(*value),
        Value::Number(number) => {
            if let Some(n) = number.as_u64() {
                writer.unsigned(n);
            } else if let Some(n) = number.as_i64() {
                writer.signed(n);
            } else {
                writer.number(number.as_f64().unwrap_or(f64::NAN));
            }
        }
        Value::String(text) => writer.str(text)?,
        Value::Array(items) => {
            writer.array_header(items.len())?;
            for item in items {
                write_json(writer, item)?;
            }
        }
        Value::Object(object) => {
            let keys: Vec<&str> = object.keys().map(String::as_str).collect();
            writer.record(&keys)?;
            for item in object.values() {
                write_json(writer, item)?;
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests;
