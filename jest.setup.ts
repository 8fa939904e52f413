// Tests that use TensorFlow.js directly run on the reference `cpu` kernels, with tfjs-core's gradient
// functions (registered by loading @tensorflow/tfjs-layers, as in every command). Production mode
// silences tfjs's "install the node backend" banner, which is advice for users, not test output.
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-layers';
import { enableProdMode } from '@tensorflow/tfjs-core';

enableProdMode();
