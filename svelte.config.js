import adapter from '@sveltejs/adapter-static';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** @type {import('@sveltejs/kit').Config} */
const config = {
	preprocess: vitePreprocess(),
	kit: {
		// The relay serves index.html for every unknown path: the app is one page that routes itself.
		adapter: adapter({ pages: 'build', assets: 'build', fallback: 'index.html', strict: false, precompress: true }),
		serviceWorker: { register: true }
	}
};

export default config;
