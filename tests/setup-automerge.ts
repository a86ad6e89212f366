// In Node the full entry point loads the wasm once; every `/slim` import then shares it.
import '@automerge/automerge';
