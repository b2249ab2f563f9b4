//! package.json: the manifest model and its reader
