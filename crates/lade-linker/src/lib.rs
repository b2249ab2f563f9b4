//! Isolated node_modules layout: virtual store names, symlinks, hoisting, bin shims, .modules.yaml
