import { servingBanner } from './start-server';

const identity = {
  classNames: null,
  weightsHash: 'abc123',
  backend: 'backend: cpu',
  decoder: 'image decoder: jimp (requested)',
};

describe('servingBanner', () => {
  test('when the checkpoint records its epoch and test accuracy, then the banner names both, the URL and how to stop', () => {
    expect(
      servingBanner('output/checkpoint', { ...identity, epoch: 30, testAccuracy: 0.98654 }, 'http://127.0.0.1:8000'),
    ).toBe(
      'lenet serving output/checkpoint (epoch 30, test accuracy 98.65%) at http://127.0.0.1:8000 - open it in a browser; Ctrl-C to stop',
    );
  });

  test('when the model.json carries no lenet metadata, then the banner names the model alone', () => {
    expect(servingBanner('m/model.json', { ...identity, epoch: null, testAccuracy: null }, 'http://[::1]:9000')).toBe(
      'lenet serving m/model.json at http://[::1]:9000 - open it in a browser; Ctrl-C to stop',
    );
  });
});
