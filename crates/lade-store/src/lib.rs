//! Content-addressable store in pnpm's v11 format: files/, index.db, atomic writes, package import
