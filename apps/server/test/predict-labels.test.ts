import { cp, readFile, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import type { RunningServer } from '@lenet/serving';
import { digitPng, makeFixture, type Fixture } from './support/fixtures';
import { postFile, postParts } from './support/http';
import { startTestServer } from './support/server';

const NAMES = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine'];

let fixture: Fixture;
let plain: RunningServer;
let named: RunningServer;

// The same weights twice: as trained, and with class names added to model.json's metadata (what
// `lenet train --class-names` or a class-names.txt beside the data stores).
beforeAll(async () => {
  fixture = await makeFixture({ epochs: 1, limit: 600 });
  const namedDir = path.join(path.dirname(fixture.checkpoint), 'named-checkpoint');
  await cp(fixture.checkpoint, namedDir, { recursive: true });
  const modelJson = path.join(namedDir, 'model.json');
  const json = JSON.parse(await readFile(modelJson, 'utf8'));
  json.userDefinedMetadata.lenet.classNames = NAMES;
  await writeFile(modelJson, JSON.stringify(json));
  plain = await startTestServer(fixture.checkpoint);
  named = await startTestServer(namedDir);
}, 240_000);
afterAll(async () => {
  await plain?.close();
  await named?.close();
  await fixture?.remove();
});

describe('POST /predict with class names', () => {
  test('when the checkpoint carries class names, then the answer adds label, the name of likely_class', async () => {
    const png = await digitPng(fixture.digits.image(3));
    const response = await postFile(`${named.url}/predict`, png);
    expect(response.status).toBe(200);
    expect(response.body.label).toBe(NAMES[response.body.likely_class]);
  });

  test('when the checkpoint has no class names, then there is no label field and the rest is the same', async () => {
    const png = await digitPng(fixture.digits.image(3));
    const [withNames, without] = [
      await postFile(`${named.url}/predict`, png),
      await postFile(`${plain.url}/predict`, png),
    ];
    expect(without.status).toBe(200);
    expect(without.body).not.toHaveProperty('label');
    const { label: _label, ms: _ms1, ...rest } = withNames.body;
    const { ms: _ms2, ...expected } = without.body;
    expect(rest).toEqual(expected);
  });

  test('when a batch is sent to a checkpoint with class names, then every classified entry carries its label', async () => {
    const files = await Promise.all(
      [0, 1, 2].map(async (i) => ({ bytes: await digitPng(fixture.digits.image(i)), name: `${i}.png` })),
    );
    const response = await postParts(`${named.url}/predict/batch`, files);
    expect(response.status).toBe(200);
    for (const entry of response.body.results) expect(entry.label).toBe(NAMES[entry.likely_class]);
  });
});
