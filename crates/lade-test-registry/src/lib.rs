//! A local npm registry for tests: serves packuments and real tarballs built from declarative fixtures
