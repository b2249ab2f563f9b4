//! Download → verify integrity → extract into the store.
