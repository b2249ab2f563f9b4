//! A MessagePack reader that understands msgpackr's records: `d4 72 <slot>` defines a record
//! (an array of field names followed by the first instance's values) and a lone byte
//! `0x40..=0x7f` names a defined slot. As in msgpackr, such a byte is a plain positive fixint
//! when no record occupies that slot, so plain MessagePack decodes unchanged.

use crate::StoreError;

const RECORD_EXT_TYPE: u8 = 0x72;
const SLOT_BASE: u8 = 0x40;
const SLOT_COUNT: usize = 64;
/// Deep enough for any manifest; shallow enough that hostile nesting cannot exhaust the stack.
const MAX_DEPTH: u32 = 64;

/// The head of one MessagePack value. Containers are followed by their elements; a record by
/// one value per field, named through [`Reader::field_name`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Token<'a> {
    Nil,
    /// msgpackr's encoding of JavaScript `undefined` (fixext 1, type 0).
    Undefined,
    Bool(bool),
    UInt(u64),
    Int(i64),
    Float(f64),
    Str(&'a str),
    Bin(&'a [u8]),
    Array(usize),
    Map(usize),
    Record(Record),
    Ext,
}

/// A record instance: `len` field names starting at `first` in the reader's name arena.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Record {
    first: u32,
    len: u32,
}

impl Record {
    pub(crate) fn len(&self) -> usize {
        self.len as usize
    }
}

pub(crate) struct Reader<'a> {
    bytes: &'a [u8],
    pos: usize,
    depth: u32,
    /// Field names of every record definition seen, in one arena so a definition costs no
    /// allocation of its own; `slots` point into it.
    names: Vec<&'a str>,
    slots: [Option<Record>; SLOT_COUNT],
}

impl<'a> Reader<'a> {
    pub(crate) fn new(bytes: &'a [u8]) -> Self {
        Reader { bytes, pos: 0, depth: 0, names: Vec::new(), slots: [None; SLOT_COUNT] }
    }

    pub(crate) fn at_end(&self) -> bool {
        self.pos == self.bytes.len()
    }

    /// Bytes not read yet: a bound on how many values can follow, whatever a length prefix says.
    pub(crate) fn remaining(&self) -> usize {
        self.bytes.len() - self.pos
    }

    pub(crate) fn error(&self, reason: &'static str) -> StoreError {
        StoreError::IndexDecode { offset: self.pos, reason }
    }

    pub(crate) fn field_name(&self, record: Record, index: usize) -> &'a str {
        self.names[record.first as usize + index]
    }

    fn take(&mut self, n: usize) -> Result<&'a [u8], StoreError> {
        let end = self.pos.checked_add(n).filter(|end| *end <= self.bytes.len());
        let end = end.ok_or_else(|| self.error("unexpected end of data"))?;
        let slice = &self.bytes[self.pos..end];
        self.pos = end;
        Ok(slice)
    }

    fn byte(&mut self) -> Result<u8, StoreError> {
        Ok(self.take(1)?[0])
    }

    fn be<const N: usize>(&mut self) -> Result<[u8; N], StoreError> {
        let mut out = [0u8; N];
        out.copy_from_slice(self.take(N)?);
        Ok(out)
    }

    fn len8(&mut self) -> Result<usize, StoreError> {
        Ok(usize::from(self.byte()?))
    }

    fn len16(&mut self) -> Result<usize, StoreError> {
        Ok(usize::from(u16::from_be_bytes(self.be()?)))
    }

    fn len32(&mut self) -> Result<usize, StoreError> {
        usize::try_from(u32::from_be_bytes(self.be()?)).map_err(|_| self.error("length too large"))
    }

    fn str(&mut self, len: usize) -> Result<&'a str, StoreError> {
        let bytes = self.take(len)?;
        std::str::from_utf8(bytes).map_err(|_| self.error("string is not UTF-8"))
    }

    /// Reads the next value's head. Record definitions are consumed here, so the caller sees
    /// definitions and references alike as [`Token::Record`].
    pub(crate) fn next(&mut self) -> Result<Token<'a>, StoreError> {
        let head = self.byte()?;
        Ok(match head {
            0x00..=0x3f => Token::UInt(u64::from(head)),
            0x40..=0x7f => match self.slots[usize::from(head - SLOT_BASE)] {
                Some(record) => Token::Record(record),
                None => Token::UInt(u64::from(head)),
            },
            0x80..=0x8f => Token::Map(usize::from(head & 0x0f)),
            0x90..=0x9f => Token::Array(usize::from(head & 0x0f)),
            0xa0..=0xbf => Token::Str(self.str(usize::from(head & 0x1f))?),
            0xc0 => Token::Nil,
            0xc2 => Token::Bool(false),
            0xc3 => Token::Bool(true),
            0xc4 => Token::Bin(self.sized_bytes(Self::len8)?),
            0xc5 => Token::Bin(self.sized_bytes(Self::len16)?),
            0xc6 => Token::Bin(self.sized_bytes(Self::len32)?),
            0xc7 => self.ext_payload(Self::len8)?,
            0xc8 => self.ext_payload(Self::len16)?,
            0xc9 => self.ext_payload(Self::len32)?,
            0xca => Token::Float(f64::from(f32::from_be_bytes(self.be()?))),
            0xcb => Token::Float(f64::from_be_bytes(self.be()?)),
            0xcc => Token::UInt(u64::from(self.byte()?)),
            0xcd => Token::UInt(u64::from(u16::from_be_bytes(self.be()?))),
            0xce => Token::UInt(u64::from(u32::from_be_bytes(self.be()?))),
            0xcf => Token::UInt(u64::from_be_bytes(self.be()?)),
            0xd0 => Token::Int(i64::from(i8::from_be_bytes(self.be()?))),
            0xd1 => Token::Int(i64::from(i16::from_be_bytes(self.be()?))),
            0xd2 => Token::Int(i64::from(i32::from_be_bytes(self.be()?))),
            0xd3 => Token::Int(i64::from_be_bytes(self.be()?)),
            0xd4 => self.fixext1()?,
            0xd5 => self.fixed_ext(2)?,
            0xd6 => self.fixed_ext(4)?,
            0xd7 => self.fixed_ext(8)?,
            0xd8 => self.fixed_ext(16)?,
            0xd9 => Token::Str(self.sized_str(Self::len8)?),
            0xda => Token::Str(self.sized_str(Self::len16)?),
            0xdb => Token::Str(self.sized_str(Self::len32)?),
            0xdc => Token::Array(self.len16()?),
            0xdd => Token::Array(self.len32()?),
            0xde => Token::Map(self.len16()?),
            0xdf => Token::Map(self.len32()?),
            0xe0..=0xff => Token::Int(i64::from(head as i8)),
            0xc1 => return Err(self.error("reserved byte 0xc1")),
        })
    }

    fn sized_bytes(
        &mut self,
        len: fn(&mut Self) -> Result<usize, StoreError>,
    ) -> Result<&'a [u8], StoreError> {
        let n = len(self)?;
        self.take(n)
    }

    fn sized_str(
        &mut self,
        len: fn(&mut Self) -> Result<usize, StoreError>,
    ) -> Result<&'a str, StoreError> {
        let n = len(self)?;
        self.str(n)
    }

    fn ext_payload(
        &mut self,
        len: fn(&mut Self) -> Result<usize, StoreError>,
    ) -> Result<Token<'a>, StoreError> {
        let n = len(self)?;
        self.take(n + 1)?;
        Ok(Token::Ext)
    }

    fn fixed_ext(&mut self, n: usize) -> Result<Token<'a>, StoreError> {
        self.take(n + 1)?;
        Ok(Token::Ext)
    }

    fn fixext1(&mut self) -> Result<Token<'a>, StoreError> {
        let [ext_type, data] = self.be()?;
        match ext_type {
            RECORD_EXT_TYPE => self.define_record(data),
            0 if data == 0 => Ok(Token::Undefined),
            _ => Ok(Token::Ext),
        }
    }

    fn define_record(&mut self, slot: u8) -> Result<Token<'a>, StoreError> {
        if !(SLOT_BASE..SLOT_BASE + SLOT_COUNT as u8).contains(&slot) {
            return Err(self.error("record slot outside 0x40..=0x7f"));
        }
        let count = match self.byte()? {
            head @ 0x90..=0x9f => usize::from(head & 0x0f),
            0xdc => self.len16()?,
            0xdd => self.len32()?,
            _ => return Err(self.error("record field names are not an array")),
        };
        let first = self.names.len();
        for _ in 0..count {
            let name = match self.next()? {
                Token::Str(name) => name,
                _ => return Err(self.error("record field name is not a string")),
            };
            self.names.push(name);
        }
        let as_u32 = |n: usize| u32::try_from(n).map_err(|_| self.error("too many record fields"));
        let record = Record { first: as_u32(first)?, len: as_u32(count)? };
        // A later definition of the same slot replaces the earlier one, as in msgpackr.
        self.slots[usize::from(slot - SLOT_BASE)] = Some(record);
        Ok(Token::Record(record))
    }

    /// Reads an object, written either as a record or as a map with string keys, calling
    /// `field` once per key; `field` must consume exactly one value.
    pub(crate) fn object(
        &mut self,
        mut field: impl FnMut(&mut Self, &'a str) -> Result<(), StoreError>,
    ) -> Result<(), StoreError> {
        match self.next()? {
            Token::Record(record) => self.nested(|reader| {
                for index in 0..record.len() {
                    field(reader, reader.field_name(record, index))?;
                }
                Ok(())
            }),
            Token::Map(len) => self.nested(|reader| {
                for _ in 0..len {
                    let key = match reader.next()? {
                        Token::Str(key) => key,
                        _ => return Err(reader.error("object key is not a string")),
                    };
                    field(reader, key)?;
                }
                Ok(())
            }),
            _ => Err(self.error("expected an object")),
        }
    }

    pub(crate) fn nested<T>(
        &mut self,
        body: impl FnOnce(&mut Self) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        if self.depth >= MAX_DEPTH {
            return Err(self.error("values nested too deeply"));
        }
        self.depth += 1;
        let result = body(self);
        self.depth -= 1;
        result
    }

    /// Skips one complete value.
    pub(crate) fn skip(&mut self) -> Result<(), StoreError> {
        match self.next()? {
            Token::Array(len) => self.nested(|reader| (0..len).try_for_each(|_| reader.skip())),
            Token::Map(len) => self.nested(|reader| {
                (0..len).try_for_each(|_| {
                    reader.skip()?;
                    reader.skip()
                })
            }),
            Token::Record(record) => {
                self.nested(|reader| (0..record.len()).try_for_each(|_| reader.skip()))
            }
            _ => Ok(()),
        }
    }

    /// A string's bytes without UTF-8 validation, for values checked by their own parser.
    pub(crate) fn string_bytes(&mut self) -> Result<&'a [u8], StoreError> {
        let head = self.byte()?;
        let len = match head {
            0xa0..=0xbf => usize::from(head & 0x1f),
            0xd9 => self.len8()?,
            0xda => self.len16()?,
            0xdb => self.len32()?,
            _ => return Err(self.error("expected a string")),
        };
        self.take(len)
    }

    pub(crate) fn string(&mut self) -> Result<&'a str, StoreError> {
        match self.next()? {
            Token::Str(text) => Ok(text),
            _ => Err(self.error("expected a string")),
        }
    }

    /// A JavaScript number as an unsigned integer: msgpackr writes numbers of 2^32 and above as
    /// float 64, so integral floats are accepted.
    pub(crate) fn unsigned(&mut self) -> Result<u64, StoreError> {
        match self.next()? {
            Token::UInt(n) => Ok(n),
            Token::Int(n) if n >= 0 => Ok(n as u64),
            Token::Float(f) if f >= 0.0 && f.fract() == 0.0 && f < 18_446_744_073_709_551_616.0 => {
                Ok(f as u64)
            }
            _ => Err(self.error("expected a non-negative integer")),
        }
    }

    /// A JavaScript number, or `None` for nil/undefined.
    pub(crate) fn optional_number(&mut self) -> Result<Option<f64>, StoreError> {
        match self.next()? {
            Token::Float(f) => Ok(Some(f)),
            Token::UInt(n) => Ok(Some(n as f64)),
            Token::Int(n) => Ok(Some(n as f64)),
            Token::Nil | Token::Undefined => Ok(None),
            _ => Err(self.error("expected a number")),
        }
    }

    pub(crate) fn optional_bool(&mut self) -> Result<Option<bool>, StoreError> {
        match self.next()? {
            Token::Bool(value) => Ok(Some(value)),
            Token::Nil | Token::Undefined => Ok(None),
            _ => Err(self.error("expected a boolean")),
        }
    }

    pub(crate) fn optional_string(&mut self) -> Result<Option<&'a str>, StoreError> {
        match self.next()? {
            Token::Str(text) => Ok(Some(text)),
            Token::Nil | Token::Undefined => Ok(None),
            _ => Err(self.error("expected a string")),
        }
    }

    /// Peeks whether the next value is nil or undefined, consuming it if so.
    pub(crate) fn take_nil(&mut self) -> Result<bool, StoreError> {
        let saved = self.pos;
        match self.bytes.get(saved) {
            Some(0xc0) => {
                self.pos += 1;
                Ok(true)
            }
            Some(0xd4) if self.bytes.get(saved + 1..saved + 3) == Some(&[0, 0]) => {
                self.pos += 3;
                Ok(true)
            }
            _ => Ok(false),
        }
    }
}
