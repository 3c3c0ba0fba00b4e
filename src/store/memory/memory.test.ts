import { storeConformance } from '../store.suite.js';
import { createMemoryStore } from './index.js';

storeConformance('memory', () => createMemoryStore());
