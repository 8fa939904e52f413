#!/usr/bin/env node
'use strict';
require('../lib/main.js').main();
