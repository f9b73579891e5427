//! A set of values of one vocabulary, as a 128-bit mask: membership is one AND.

use crate::Vocabulary;
use std::marker::PhantomData;

/// A set of values of one [`Vocabulary`].
///
/// ```
/// use rulec_model::{Channel, EnumSet};
/// let calls_and_texts = EnumSet::from_iter([Channel::Voice, Channel::Text]);
/// assert!(calls_and_texts.contains(Channel::Text));
/// assert!(!calls_and_texts.contains(Channel::Email));
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct EnumSet<V> {
    bits: u128,
    _values: PhantomData<V>,
}

impl<V: Vocabulary> EnumSet<V> {
    pub const fn empty() -> Self {
        EnumSet { bits: 0, _values: PhantomData }
    }
    /// The set from a raw mask (bit `i` is the value at index `i`).
    pub const fn from_bits(bits: u128) -> Self {
        EnumSet { bits, _values: PhantomData }
    }
    pub fn all() -> Self {
        Self::from_iter(V::ALL.iter().copied())
    }
    pub const fn bits(self) -> u128 {
        self.bits
    }
    pub fn insert(&mut self, value: V) {
        self.bits |= 1u128 << value.index();
    }
    pub fn contains(self, value: V) -> bool {
        self.bits & (1u128 << value.index()) != 0
    }
    pub const fn is_empty(self) -> bool {
        self.bits == 0
    }
    pub fn iter(self) -> impl Iterator<Item = V> {
        V::ALL.iter().copied().filter(move |v| self.contains(*v))
    }
}

impl<V: Vocabulary> FromIterator<V> for EnumSet<V> {
    fn from_iter<I: IntoIterator<Item = V>>(iter: I) -> Self {
        let mut set = Self::empty();
        for v in iter {
            set.insert(v);
        }
        set
    }
}

impl<V: Vocabulary> Default for EnumSet<V> {
    fn default() -> Self {
        Self::empty()
    }
}

impl<V: Vocabulary + std::fmt::Debug> std::fmt::Debug for EnumSet<V> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_set().entries(self.iter().map(|v| v.name())).finish()
    }
}
