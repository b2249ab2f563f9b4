use super::*;

const GET_INTRINSIC: &[u8] =
    include_bytes!("../../tests/fixtures/pnpm12-get-intrinsic@1.3.1.msgpack");
const UUID: &[u8] = include_bytes!("../../tests/fixtures/pnpm12-uuid@10.0.0.msgpack");
const DEBUG: &[u8] = include_bytes!("../../tests/fixtures/pnpm12-debug@4.4.3.msgpack");

#[test]
fn decodes_rows_written_by_pnpm_12() {
    let row = decode_package_files_index(GET_INTRINSIC).unwrap();
    assert_eq!(row.requires_build, Some(false));
    assert_eq!(
        row.tar_integrity.as_deref(),
        Some(
            "sha512-+LaOw5DBCmXbi79UVXWOrfEA3jYCoJ9EwRY3S1kpXbq9/R2ktU7H+vvPGksIhmgib57tLK4mt6Mom08kUUvdiw=="
        )
    );
    let manifest = row.manifest.as_ref().unwrap();
    assert_eq!(manifest["name"], "get-intrinsic");
    assert_eq!(manifest["version"], "1.3.1");
    assert_eq!(manifest["engines"]["node"], ">= 0.4");
    assert_eq!(manifest["dependencies"]["hasown"], "^2.0.2");
    let keys: Vec<&str> = manifest.as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(keys, ["version", "dependencies", "devDependencies", "engines", "name"]);
    assert_eq!(row.files.len(), 9);
    let eslintrc = &row.files[".eslintrc"];
    assert_eq!(
        eslintrc.digest.to_hex(),
        "d6c951c2a38f36ab1eaaba801bcfba14ea40f47c930d25e11d8be330d01497a091675a24b08b0abc7b074b07b6fb1b40a69e4d9661d8d223edfffc948c97be67"
    );
    assert_eq!((eslintrc.mode, eslintrc.size), (0o644, 647));
    assert_eq!(eslintrc.checked_at, Some(1_795_498_291_693.0));
    assert!(row.files.contains_key("test/GetIntrinsic.js"));
}

#[test]
fn decodes_bins_and_executables() {
    let row = decode_package_files_index(UUID).unwrap();
    let manifest = row.manifest.as_ref().unwrap();
    assert_eq!(manifest["bin"]["uuid"], "dist/bin/uuid");
    assert!(row.files["dist/bin/uuid"].is_executable());
    assert!(!row.files["package.json"].is_executable());
    let debug = decode_package_files_index(DEBUG).unwrap();
    let meta = &debug.manifest.as_ref().unwrap()["peerDependenciesMeta"];
    assert_eq!(meta["supports-color"]["optional"], true);
}

#[test]
fn reencoding_a_pnpm_row_gives_back_its_bytes() {
    for bytes in [GET_INTRINSIC, UUID, DEBUG] {
        let row = decode_package_files_index(bytes).unwrap();
        assert_eq!(encode_package_files_index("k", &row).unwrap(), bytes);
    }
}

#[test]
fn round_trips_every_field() {
    let digest = FileDigest::of(b"x");
    let file = |checked_at| FileInfo { digest, mode: 0o755, size: 5_000_000_000, checked_at };
    let mut files = PackageFiles::new();
    files.insert("bin/cli.js".into(), file(Some(1.7e12)));
    files.insert("index.js".into(), file(None));
    let mut side_effects = BTreeMap::new();
    side_effects.insert(
        "linux-x64-node20".to_owned(),
        SideEffectsDiff { added: Some(files.clone()), deleted: Some(vec!["gone.js".into()]) },
    );
    side_effects.insert("darwin".to_owned(), SideEffectsDiff::default());
    let row = PackageFilesIndex {
        manifest: Some(serde_json::json!({
            "version": "1.0.0", "name": "x", "bin": {"x": "cli.js"},
            "engines": {}, "cpu": ["x64", "!arm"], "count": 100, "neg": -40000, "big": 1e300,
            "half": 0.5, "none": null, "t": true
        })),
        requires_build: Some(true),
        files,
        side_effects: Some(side_effects),
        tar_integrity: Some("sha512-abc".into()),
    };
    let bytes = encode_package_files_index("k", &row).unwrap();
    assert_eq!(decode_package_files_index(&bytes).unwrap(), row);
}

#[test]
fn more_object_shapes_than_record_slots_still_round_trip() {
    let mut manifest = serde_json::Map::new();
    for i in 0..150 {
        let mut nested = serde_json::Map::new();
        nested.insert(format!("k{i}"), Value::from(i));
        manifest.insert(format!("f{i}"), Value::Object(nested.clone()));
        manifest.insert(format!("g{i}"), Value::Object(nested));
    }
    let row = PackageFilesIndex { manifest: Some(Value::Object(manifest)), ..Default::default() };
    let bytes = encode_package_files_index("k", &row).unwrap();
    assert_eq!(decode_package_files_index(&bytes).unwrap(), row);
}

#[test]
fn reads_plain_messagepack_maps() {
    // {"algo":"sha512","files":{"a":{"digest":<hex>,"mode":420,"size":100}}} without records:
    // 100 is the fixint 0x64, which must not be taken for a record slot.
    let hex = FileDigest::of(b"a").to_hex();
    let mut bytes = vec![0x82, 0xa4];
    bytes.extend_from_slice(b"algo");
    bytes.push(0xa6);
    bytes.extend_from_slice(b"sha512");
    bytes.push(0xa5);
    bytes.extend_from_slice(b"files");
    bytes.extend_from_slice(&[0x81, 0xa1, b'a', 0x83, 0xa6]);
    bytes.extend_from_slice(b"digest");
    bytes.extend_from_slice(&[0xd9, 128]);
    bytes.extend_from_slice(hex.as_bytes());
    bytes.push(0xa4);
    bytes.extend_from_slice(b"mode");
    bytes.extend_from_slice(&[0xcd, 0x01, 0xa4, 0xa4]);
    bytes.extend_from_slice(b"size");
    bytes.push(0x64);
    let row = decode_package_files_index(&bytes).unwrap();
    assert_eq!(row.files["a"].size, 100);
    assert_eq!(row.files["a"].mode, 0o644);
    assert_eq!(row.files["a"].checked_at, None);
}

#[test]
fn hostile_bytes_give_errors_not_panics() {
    for end in 0..GET_INTRINSIC.len() {
        assert!(decode_package_files_index(&GET_INTRINSIC[..end]).is_err(), "prefix {end}");
    }
    let mut flipped = GET_INTRINSIC.to_vec();
    for i in 0..flipped.len() {
        flipped[i] ^= 0xff;
        let _ = decode_package_files_index(&flipped);
        flipped[i] ^= 0xff;
    }
    let deep = [vec![0x91; 10_000], vec![0xc0]].concat();
    let mut row = vec![0x82, 0xa8];
    row.extend_from_slice(b"manifest");
    row.extend_from_slice(&deep);
    row.push(0xa4);
    row.extend_from_slice(b"algo");
    row.push(0xa6);
    row.extend_from_slice(b"sha512");
    assert!(matches!(
        decode_package_files_index(&row),
        Err(StoreError::IndexDecode { reason: "values nested too deeply", .. })
    ));
}

#[test]
fn rejects_rows_of_other_algorithms() {
    let row = PackageFilesIndex::default();
    let mut bytes = encode_package_files_index("k", &row).unwrap();
    let at = bytes.windows(6).position(|w| w == b"sha512").unwrap();
    bytes[at..at + 6].copy_from_slice(b"sha256");
    assert!(decode_package_files_index(&bytes).is_err());
}

#[test]
fn a_lying_length_is_an_error_not_an_allocation() {
    let row = PackageFilesIndex {
        manifest: Some(serde_json::json!({"name": "x", "nested": {"b": 1}})),
        ..PackageFilesIndex::default()
    };
    let bytes = encode_package_files_index("k", &row).unwrap();
    // The nested object is a one-field record (`d4 72 ..` defines it, `a1 62` names `b`, `01`
    // is the value); a plain map claiming four billion entries takes its place.
    let record = bytes.windows(3).rposition(|w| w[..2] == [0xd4, 0x72]).expect("the record");
    let value = bytes[record..].iter().position(|b| *b == 0x01).expect("the value") + record;
    let mut lying = bytes[..record].to_vec();
    lying.extend_from_slice(&[0xdf, 0xff, 0xff, 0xff, 0xf0, 0xa1, b'b', 0x01]);
    lying.extend_from_slice(&bytes[value + 1..]);
    assert!(decode_package_files_index(&lying).is_err());
}
