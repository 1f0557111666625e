//! Values as other automerge peers may have written them.

use automerge::ScalarValue;
use automerge::hydrate::{Map, Value};

/// What was found instead of what was expected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Wrong(pub String);

impl Wrong {
    pub(crate) fn expected(what: &str, found: &Value) -> Self {
        Wrong(format!("expected {what}, found {}", describe(found)))
    }
}

/// A domain value read from a hydrated Automerge value.
pub trait FromValue: Sized {
    fn from_value(value: &Value) -> Result<Self, Wrong>;
}

/// The value in a person's words, for error messages.
pub(crate) fn describe(value: &Value) -> String {
    match value {
        Value::Map(_) => "a map".into(),
        Value::List(_) => "a list".into(),
        Value::Text(text) => format!("the text {:?}", short(&text.to_string())),
        Value::Scalar(scalar) => match scalar {
            ScalarValue::Str(s) => format!("the string {:?}", short(s)),
            ScalarValue::Int(i) => format!("the number {i}"),
            ScalarValue::Uint(u) => format!("the number {u}"),
            ScalarValue::F64(f) => format!("the number {f}"),
            ScalarValue::Counter(c) => format!("the counter {}", i64::from(c)),
            ScalarValue::Timestamp(t) => format!("the timestamp {t}"),
            ScalarValue::Boolean(b) => format!("{b}"),
            ScalarValue::Bytes(b) => format!("{} bytes", b.len()),
            ScalarValue::Unknown { type_code, .. } => format!("a value of unknown type {type_code}"),
            ScalarValue::Null => "null".into(),
        },
    }
}

fn short(s: &str) -> String {
    if s.chars().count() > 40 {
        format!("{}…", s.chars().take(40).collect::<String>())
    } else {
        s.to_owned()
    }
}

/// A whole number however it was stored: signed, unsigned, an integral float (JSON and
/// JavaScript numbers), a timestamp or a counter.
pub(crate) fn whole_number(value: &Value) -> Option<i128> {
    match value {
        Value::Scalar(ScalarValue::Int(i) | ScalarValue::Timestamp(i)) => Some(i128::from(*i)),
        Value::Scalar(ScalarValue::Uint(u)) => Some(i128::from(*u)),
        Value::Scalar(ScalarValue::Counter(c)) => Some(i128::from(i64::from(c))),
        Value::Scalar(ScalarValue::F64(f)) if f.fract() == 0.0 && f.abs() < 9.0e15 => Some(*f as i128),
        _ => None,
    }
}

macro_rules! whole_numbers {
    ($($ty:ty),*) => {$(
        impl FromValue for $ty {
            fn from_value(value: &Value) -> Result<Self, Wrong> {
                whole_number(value)
                    .and_then(|n| <$ty>::try_from(n).ok())
                    .ok_or_else(|| Wrong::expected(concat!("a whole number (", stringify!($ty), ")"), value))
            }
        }
    )*};
}
whole_numbers!(i32, i64, u32, u64);

/// A map with text keys (a column's limit by status key).
impl<T: FromValue> FromValue for std::collections::BTreeMap<String, T> {
    fn from_value(value: &Value) -> Result<Self, Wrong> {
        let Value::Map(map) = value else { return Err(Wrong::expected("a map", value)) };
        map.iter()
            .map(|(key, v)| {
                T::from_value(&v.value)
                    .map(|t| (key.clone(), t))
                    .map_err(|Wrong(why)| Wrong(format!("`{key}`: {why}")))
            })
            .collect()
    }
}

impl FromValue for f64 {
    fn from_value(value: &Value) -> Result<Self, Wrong> {
        match value {
            Value::Scalar(ScalarValue::F64(f)) => Ok(*f),
            other => whole_number(other).map(|n| n as f64).ok_or_else(|| Wrong::expected("a number", value)),
        }
    }
}

impl FromValue for bool {
    fn from_value(value: &Value) -> Result<Self, Wrong> {
        match value {
            Value::Scalar(ScalarValue::Boolean(b)) => Ok(*b),
            _ => Err(Wrong::expected("true or false", value)),
        }
    }
}

impl FromValue for String {
    fn from_value(value: &Value) -> Result<Self, Wrong> {
        match value {
            Value::Scalar(ScalarValue::Str(s)) => Ok(s.to_string()),
            Value::Text(text) => Ok(text.to_string()),
            _ => Err(Wrong::expected("text", value)),
        }
    }
}

impl FromValue for autosurgeon::Text {
    fn from_value(value: &Value) -> Result<Self, Wrong> {
        String::from_value(value).map(autosurgeon::Text::with_value)
    }
}

impl<T: FromValue> FromValue for Option<T> {
    fn from_value(value: &Value) -> Result<Self, Wrong> {
        match value {
            Value::Scalar(ScalarValue::Null) => Ok(None),
            other => T::from_value(other).map(Some),
        }
    }
}

impl<T: FromValue> FromValue for Vec<T> {
    fn from_value(value: &Value) -> Result<Self, Wrong> {
        let Value::List(list) = value else { return Err(Wrong::expected("a list", value)) };
        list.iter()
            .enumerate()
            .map(|(i, item)| {
                T::from_value(&item.value).map_err(|Wrong(why)| Wrong(format!("item {i}: {why}")))
            })
            .collect()
    }
}

/// Text parsed with `FromStr` (dates, ids).
pub(crate) fn parsed<T: std::str::FromStr>(value: &Value, what: &str) -> Result<T, Wrong>
where
    T::Err: std::fmt::Display,
{
    let text = String::from_value(value).map_err(|_| Wrong::expected(what, value))?;
    text.parse().map_err(|e: T::Err| Wrong(e.to_string()))
}

macro_rules! parsed_from_text {
    ($($ty:ty => $what:literal),* $(,)?) => {$(
        impl FromValue for $ty {
            fn from_value(value: &Value) -> Result<Self, Wrong> {
                parsed(value, $what)
            }
        }
    )*};
}
parsed_from_text!(
    super::super::Date => "a date (YYYY-MM-DD)",
    crate::TaskId => "a task id",
    crate::PhaseId => "a phase id",
    crate::MilestoneId => "a milestone id",
    crate::MemberId => "a member id",
    crate::ItemId => "an item id",
    super::super::Rank => "a rank (0-9, A-Z, a-z)",
);

impl FromValue for super::super::Status {
    fn from_value(value: &Value) -> Result<Self, Wrong> {
        String::from_value(value).map(|key| Self::from_key(&key))
    }
}

/// The fields of a map, strictly: the first that cannot be read fails the whole value (for
/// small values inside lists, such as a dependency or a checklist item).
pub(crate) struct Strict<'a>(pub(crate) &'a Map);

impl<'a> Strict<'a> {
    pub(crate) fn of(value: &'a Value) -> Result<Self, Wrong> {
        match value {
            Value::Map(map) => Ok(Strict(map)),
            other => Err(Wrong::expected("a map", other)),
        }
    }

    pub(crate) fn need<T: FromValue>(&self, key: &str) -> Result<T, Wrong> {
        let value = self.0.get(key).ok_or_else(|| Wrong(format!("`{key}` is missing")))?;
        T::from_value(value).map_err(|Wrong(why)| Wrong(format!("`{key}`: {why}")))
    }

    /// Missing or null gives the default.
    pub(crate) fn get<T: FromValue + Default>(&self, key: &str) -> Result<T, Wrong> {
        match self.0.get(key) {
            None | Some(Value::Scalar(ScalarValue::Null)) => Ok(T::default()),
            Some(value) => T::from_value(value).map_err(|Wrong(why)| Wrong(format!("`{key}`: {why}"))),
        }
    }
}

/// An enum as autosurgeon writes it: a unit variant is its name as a string; a variant with
/// fields is a map from its name to them. Returns the variant's name and its fields, if any.
pub(crate) fn variant(value: &Value) -> Result<(String, Option<&Value>), Wrong> {
    match value {
        Value::Scalar(ScalarValue::Str(name)) => Ok((name.to_string(), None)),
        Value::Text(text) => Ok((text.to_string(), None)),
        Value::Map(map) => {
            let mut entries = map.iter();
            match (entries.next(), entries.next()) {
                (Some((name, inner)), None) => Ok((name.clone(), Some(&inner.value))),
                _ => Err(Wrong::expected("one variant", value)),
            }
        }
        other => Err(Wrong::expected("a variant name", other)),
    }
}

/// Implements [`FromValue`] for an enum of unit variants written by their names.
macro_rules! unit_enum {
    ($ty:ty, $what:literal, [$($variant:ident),* $(,)?]) => {
        impl $crate::domain::read::FromValue for $ty {
            fn from_value(value: &automerge::hydrate::Value) -> Result<Self, $crate::domain::read::Wrong> {
                let (name, _) = $crate::domain::read::values::variant(value)?;
                match name.as_str() {
                    $(stringify!($variant) => Ok(<$ty>::$variant),)*
                    other => Err($crate::domain::read::Wrong(format!(concat!("{:?} is not ", $what), other))),
                }
            }
        }
    };
}
pub(crate) use unit_enum;

#[cfg(test)]
mod tests {
    use super::*;
    use automerge::TextEncoding;

    fn scalar(v: impl Into<ScalarValue>) -> Value {
        Value::Scalar(v.into())
    }

    #[test]
    fn whole_numbers_read_however_they_were_stored() {
        for value in [scalar(7i64), scalar(7u64), scalar(7.0f64), scalar(ScalarValue::Timestamp(7))] {
            assert_eq!(u32::from_value(&value), Ok(7), "{value:?}");
            assert_eq!(i64::from_value(&value), Ok(7), "{value:?}");
        }
        assert!(u32::from_value(&scalar(-1i64)).is_err(), "a negative count is refused");
        assert!(u64::from_value(&scalar(1.5f64)).is_err(), "a fraction is not a whole number");
        assert_eq!(
            u32::from_value(&scalar("7")).map_err(|w| w.0),
            Err("expected a whole number (u32), found the string \"7\"".to_owned())
        );
        assert_eq!(f64::from_value(&scalar(3i64)), Ok(3.0));
    }

    #[test]
    fn strings_read_from_strings_and_text() {
        assert_eq!(String::from_value(&scalar("春季")), Ok("春季".to_owned()));
        let text = Value::text(TextEncoding::UnicodeCodePoint, "口红");
        assert_eq!(String::from_value(&text), Ok("口红".to_owned()));
        assert!(String::from_value(&scalar(1i64)).is_err());
        assert_eq!(Option::<String>::from_value(&scalar(ScalarValue::Null)), Ok(None));
    }

    #[test]
    fn a_bad_list_item_says_which() {
        let value = Value::from(vec![scalar(1u64), scalar("x")]);
        let err = Vec::<u32>::from_value(&value).expect_err("the second item is text");
        assert!(err.0.starts_with("item 1: "), "{}", err.0);
    }
}
