//! A caller's tap on one of the world's streams (history lines, trace
//! events): a boxed closure, which a clone of the world does not inherit.
//! Clones are checkpoints and replays of a stretch already run; one that
//! fed the caller's sink would hand it the same records a second time.

/// A caller's closure that receives every `T`.
pub type Sink<T> = Box<dyn FnMut(&T)>;

/// Feeds every `T` to the closure a caller set, if any.
pub struct Tap<T>(Option<Sink<T>>);

impl<T> Tap<T> {
    pub fn set(&mut self, sink: Sink<T>) {
        self.0 = Some(sink);
    }

    /// The closure, when there is one: a caller building its record only
    /// for a sink asks first.
    #[inline]
    pub fn as_mut(&mut self) -> Option<&mut Sink<T>> {
        self.0.as_mut()
    }
}

impl<T> Default for Tap<T> {
    fn default() -> Self {
        Tap(None)
    }
}

impl<T> Clone for Tap<T> {
    fn clone(&self) -> Self {
        Tap(None)
    }
}

impl<T> std::fmt::Debug for Tap<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(if self.0.is_some() {
            "Tap(set)"
        } else {
            "Tap(none)"
        })
    }
}
