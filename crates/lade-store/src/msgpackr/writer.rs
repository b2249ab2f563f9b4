//! A MessagePack writer that emits what msgpackr's `Packr({ useRecords: true })` emits for the
//! same JavaScript value: objects as records (a slot per distinct key sequence, numbered from
//! 0x40 in order of first appearance), `Map`s as plain maps, and numbers with msgpackr's choice
//! of encoding. Both pnpm 11 (msgpackr) and pnpm 12 then read the bytes as the same objects.

use std::collections::HashMap;

const RECORD_EXT_TYPE: u8 = 0x72;
const SLOT_BASE: u8 = 0x40;
const SLOT_COUNT: u8 = 64;

pub(crate) struct Writer<'a> {
    out: Vec<u8>,
    slot_of_shape: HashMap<Vec<&'a str>, u8>,
    /// Which shape each slot currently holds, so a slot reused after all 64 are taken stops
    /// standing for its previous shape.
    shape_in_slot: Vec<Option<Vec<&'a str>>>,
    next_slot: u8,
}

/// A value too large for MessagePack's 32-bit lengths.
#[derive(Debug)]
pub(crate) struct TooLarge;

impl<'a> Writer<'a> {
    pub(crate) fn new() -> Self {
        Writer {
            out: Vec::with_capacity(1024),
            slot_of_shape: HashMap::new(),
            shape_in_slot: vec![None; usize::from(SLOT_COUNT)],
            next_slot: 0,
        }
    }

    pub(crate) fn finish(self) -> Vec<u8> {
        self.out
    }

    /// Starts an object with these keys; the caller then writes one value per key, in order.
    pub(crate) fn record(&mut self, keys: &[&'a str]) -> Result<(), TooLarge> {
        if let Some(&slot) = self.slot_of_shape.get(keys) {
            self.out.push(slot);
            return Ok(());
        }
        let index = self.next_slot % SLOT_COUNT;
        self.next_slot = index + 1;
        let slot = SLOT_BASE + index;
        if let Some(previous) = self.shape_in_slot[usize::from(index)].replace(keys.to_vec()) {
            self.slot_of_shape.remove(&previous);
        }
        self.slot_of_shape.insert(keys.to_vec(), slot);
        self.out.extend_from_slice(&[0xd4, RECORD_EXT_TYPE, slot]);
        self.array_header(keys.len())?;
        for key in keys {
            self.str(key)?;
        }
        Ok(())
    }

    pub(crate) fn map_header(&mut self, len: usize) -> Result<(), TooLarge> {
        self.header(len, 0x80, 0xde, 0xdf)
    }

    pub(crate) fn array_header(&mut self, len: usize) -> Result<(), TooLarge> {
        self.header(len, 0x90, 0xdc, 0xdd)
    }

    fn header(&mut self, len: usize, fix: u8, sixteen: u8, thirty_two: u8) -> Result<(), TooLarge> {
        if len < 16 {
            self.out.push(fix | len as u8);
        } else if let Ok(len) = u16::try_from(len) {
            self.out.push(sixteen);
            self.out.extend_from_slice(&len.to_be_bytes());
        } else {
            let len = u32::try_from(len).map_err(|_| TooLarge)?;
            self.out.push(thirty_two);
            self.out.extend_from_slice(&len.to_be_bytes());
        }
        Ok(())
    }

    pub(crate) fn str(&mut self, text: &str) -> Result<(), TooLarge> {
        let len = text.len();
        if len < 32 {
            self.out.push(0xa0 | len as u8);
        } else if let Ok(len) = u8::try_from(len) {
            self.out.extend_from_slice(&[0xd9, len]);
        } else if let Ok(len) = u16::try_from(len) {
            self.out.push(0xda);
            self.out.extend_from_slice(&len.to_be_bytes());
        } else {
            let len = u32::try_from(len).map_err(|_| TooLarge)?;
            self.out.push(0xdb);
            self.out.extend_from_slice(&len.to_be_bytes());
        }
        self.out.extend_from_slice(text.as_bytes());
        Ok(())
    }

    pub(crate) fn bool(&mut self, value: bool) {
        self.out.push(if value { 0xc3 } else { 0xc2 });
    }

    pub(crate) fn nil(&mut self) {
        self.out.push(0xc0);
    }

    /// A JavaScript number, encoded as msgpackr does: integers within 32 bits as the smallest
    /// integer form (never a fixint in the record-slot range 0x40..=0x7f), everything else as
    /// float 64.
    pub(crate) fn number(&mut self, value: f64) {
        if value.fract() == 0.0 && (0.0..4_294_967_296.0).contains(&value) {
            self.unsigned_u32(value as u32);
        } else if value.fract() == 0.0 && (-2_147_483_648.0..0.0).contains(&value) {
            self.negative_i32(value as i32);
        } else {
            self.out.push(0xcb);
            self.out.extend_from_slice(&value.to_be_bytes());
        }
    }

    pub(crate) fn unsigned(&mut self, value: u64) {
        match u32::try_from(value) {
            Ok(small) => self.unsigned_u32(small),
            Err(_) => self.number(value as f64),
        }
    }

    pub(crate) fn signed(&mut self, value: i64) {
        if value >= 0 {
            self.unsigned(value as u64);
        } else if let Ok(small) = i32::try_from(value) {
            self.negative_i32(small);
        } else {
            self.number(value as f64);
        }
    }

    fn unsigned_u32(&mut self, value: u32) {
        if value < u32::from(SLOT_BASE) {
            self.out.push(value as u8);
        } else if let Ok(byte) = u8::try_from(value) {
            self.out.extend_from_slice(&[0xcc, byte]);
        } else if let Ok(short) = u16::try_from(value) {
            self.out.push(0xcd);
            self.out.extend_from_slice(&short.to_be_bytes());
        } else {
            self.out.push(0xce);
            self.out.extend_from_slice(&value.to_be_bytes());
        }
    }

    fn negative_i32(&mut self, value: i32) {
        if value >= -32 {
            self.out.push(value as i8 as u8);
        } else if let Ok(byte) = i8::try_from(value) {
            self.out.extend_from_slice(&[0xd0, byte as u8]);
        } else if let Ok(short) = i16::try_from(value) {
            self.out.push(0xd1);
            self.out.extend_from_slice(&short.to_be_bytes());
        } else {
            self.out.push(0xd2);
            self.out.extend_from_slice(&value.to_be_bytes());
        }
    }
}
