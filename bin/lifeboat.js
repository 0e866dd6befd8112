#!/usr/bin/env node
// The `lifeboat` command. Node 24 runs the TypeScript sources directly (type stripping),
// so there is no build step between `npm ci` and `npx lifeboat`.
import '../app/cli/main.ts';
