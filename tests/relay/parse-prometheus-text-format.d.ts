// parse-prometheus-text-format ships no types; the metrics test reads families, samples and histograms.
declare module 'parse-prometheus-text-format' {
	export interface Family {
		name: string;
		help: string;
		type: 'COUNTER' | 'GAUGE' | 'HISTOGRAM' | 'SUMMARY' | 'UNTYPED';
		metrics: Array<{ value?: string; labels?: Record<string, string>; buckets?: Record<string, string>; count?: string; sum?: string }>;
	}
	export default function parse(text: string): Family[];
}
