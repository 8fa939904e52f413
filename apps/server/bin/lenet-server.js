#!/usr/bin/env node

// Runs the compiled server (npm run build first): flags as in `lenet-server --help`.
require('../dist/main.js').main(process.argv.slice(2));
