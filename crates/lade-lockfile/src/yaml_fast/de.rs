//! serde over the fast reader's events. Every failure here is a "cannot decide": the caller
//! falls back to serde_yaml_ng, so this only has to agree with it where it succeeds.

use std::fmt;

use serde::de::{self, DeserializeOwned, DeserializeSeed, MapAccess, SeqAccess, Visitor};
use serde::forward_to_deserialize_any;

use super::Event;

#[derive(Debug)]
pub(crate) struct Declined;

impl fmt::Display for Declined {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("left to the full YAML parser")
    }
}

impl std::error::Error for Declined {}

impl de::Error for Declined {
    fn custom<T: fmt::Display>(_: T) -> Self {
        Declined
    }
}

pub(crate) fn from_events<T: DeserializeOwned>(events: &[Event]) -> Result<T, Declined> {
    let mut deserializer = Deserializer { events, pos: 0 };
    let value = T::deserialize(&mut deserializer)?;
    if deserializer.pos == events.len() { Ok(value) } else { Err(Declined) }
}

struct Deserializer<'e, 'a> {
    events: &'e [Event<'a>],
    pos: usize,
}

fn is_null(text: &str) -> bool {
    matches!(text, "" | "~" | "null" | "Null" | "NULL")
}

fn parse_bool(text: &str) -> Option<bool> {
    match text {
        "true" | "True" | "TRUE" => Some(true),
        "false" | "False" | "FALSE" => Some(false),
        _ => None,
    }
}

/// Plain scalars that YAML might read as a number (a superset), left to the full parser when the
/// target does not fix their type.
fn may_be_number(text: &str) -> bool {
    text.parse::<f64>().is_ok()
        || text.starts_with(['+', '-', '.'])
        || ["0x", "0o", "0b"].iter().any(|prefix| text.starts_with(prefix))
}

impl<'e, 'a> Deserializer<'e, 'a> {
    fn next(&mut self) -> Result<&'e Event<'a>, Declined> {
        let event = self.events.get(self.pos).ok_or(Declined)?;
        self.pos += 1;
        Ok(event)
    }

    fn peek(&self) -> Option<&'e Event<'a>> {
        self.events.get(self.pos)
    }

    fn scalar(&mut self) -> Result<(&'e str, bool), Declined> {
        match self.next()? {
            Event::Scalar { text, plain } => Ok((text, *plain)),
            _ => Err(Declined),
        }
    }

    fn skip(&mut self) -> Result<(), Declined> {
        let mut depth = 0usize;
        loop {
            match self.next()? {
                Event::MapStart | Event::SeqStart => depth += 1,
                Event::MapEnd | Event::SeqEnd => depth = depth.checked_sub(1).ok_or(Declined)?,
                Event::Scalar { .. } => {}
            }
            if depth == 0 {
                return Ok(());
            }
        }
    }
}

impl<'de> de::Deserializer<'de> for &mut Deserializer<'_, '_> {
    type Error = Declined;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Declined> {
        match self.next()? {
            Event::MapStart => visitor.visit_map(Entries { de: self }),
            Event::SeqStart => visitor.visit_seq(Entries { de: self }),
            Event::Scalar { text, plain: false } => visitor.visit_str(text),
            Event::Scalar { text, plain: true } => {
                if is_null(text) {
                    visitor.visit_unit()
                } else if let Some(b) = parse_bool(text) {
                    visitor.visit_bool(b)
                } else if may_be_number(text) {
                    Err(Declined)
                } else {
                    visitor.visit_str(text)
                }
            }
            Event::MapEnd | Event::SeqEnd => Err(Declined),
        }
    }

    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Declined> {
        match self.scalar()? {
            (text, true) => visitor.visit_bool(parse_bool(text).ok_or(Declined)?),
            _ => Err(Declined),
        }
    }

    fn deserialize_u64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Declined> {
        match self.scalar()? {
            (text, true) if !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()) => {
                visitor.visit_u64(text.parse().map_err(|_| Declined)?)
            }
            _ => Err(Declined),
        }
    }

    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Declined> {
        visitor.visit_str(self.scalar()?.0)
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Declined> {
        self.deserialize_str(visitor)
    }

    fn deserialize_identifier<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Declined> {
        self.deserialize_str(visitor)
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Declined> {
        match self.peek() {
            Some(Event::Scalar { text, plain: true }) if is_null(text) => {
                self.pos += 1;
                visitor.visit_none()
            }
            _ => visitor.visit_some(self),
        }
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        visitor: V,
    ) -> Result<V::Value, Declined> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Declined> {
        match self.next()? {
            Event::MapStart => visitor.visit_map(Entries { de: self }),
            _ => Err(Declined),
        }
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        _: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Declined> {
        self.deserialize_map(visitor)
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Declined> {
        match self.next()? {
            Event::SeqStart => visitor.visit_seq(Entries { de: self }),
            _ => Err(Declined),
        }
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Declined> {
        self.skip()?;
        visitor.visit_unit()
    }

    fn deserialize_unit<V: Visitor<'de>>(self, _: V) -> Result<V::Value, Declined> {
        Err(Declined)
    }

    forward_to_deserialize_any! {
        i8 i16 i32 i64 i128 u8 u16 u32 u128 f32 f64 char bytes byte_buf
        unit_struct tuple tuple_struct enum
    }
}

/// The entries of a mapping or the items of a sequence, up to its end event.
struct Entries<'d, 'e, 'a> {
    de: &'d mut Deserializer<'e, 'a>,
}

impl Entries<'_, '_, '_> {
    fn at_end(&mut self, end: &Event) -> bool {
        if self.de.peek() == Some(end) {
            self.de.pos += 1;
            true
        } else {
            false
        }
    }
}

impl<'de> MapAccess<'de> for Entries<'_, '_, '_> {
    type Error = Declined;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Declined> {
        if self.at_end(&Event::MapEnd) {
            return Ok(None);
        }
        if !matches!(self.de.peek(), Some(Event::Scalar { .. })) {
            return Err(Declined);
        }
        seed.deserialize(&mut *self.de).map(Some)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, Declined> {
        seed.deserialize(&mut *self.de)
    }
}

impl<'de> SeqAccess<'de> for Entries<'_, '_, '_> {
    type Error = Declined;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, Declined> {
        if self.at_end(&Event::SeqEnd) {
            return Ok(None);
        }
        seed.deserialize(&mut *self.de).map(Some)
    }
}
