package io.ordersaga.load;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.text.DecimalFormat;
import java.util.List;
import java.util.function.ToDoubleFunction;

import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/** The benchmark's PNG charts. */
final class Charts {

	private static final int WIDTH = 900;

	private static final int HEIGHT = 450;

	static {
		System.setProperty("java.awt.headless", "true");
	}

	private Charts() {
	}

	/**
	 * Throughput and saga latency, second by second, of one run.
	 * @param result the run
	 * @param file the PNG to write
	 */
	static void timeline(LoadResult result, Path file) {
		XYSeries accepted = new XYSeries("accepted orders/s");
		XYSeries completed = new XYSeries("completed sagas/s");
		XYSeries p50 = new XYSeries("saga p50 (ms)");
		XYSeries p99 = new XYSeries("saga p99 (ms)");
		for (LoadResult.Second second : result.timeline()) {
			accepted.add(second.second(), second.accepted());
			completed.add(second.second(), second.completed());
			p50.add(second.second(), second.endToEndP50());
			p99.add(second.second(), second.endToEndP99());
		}
		JFreeChart chart = ChartFactory.createXYLineChart(result.label() + ": throughput and latency over time",
				"seconds", "orders per second", collection(accepted, completed));
		XYPlot plot = chart.getXYPlot();
		plot.setDataset(1, collection(p50, p99));
		plot.setRangeAxis(1, new NumberAxis("saga latency (ms)"));
		plot.mapDatasetToRangeAxis(1, 1);
		plot.setRenderer(0, lines(new Color(0x1f77b4), new Color(0x2ca02c)));
		plot.setRenderer(1, lines(new Color(0xff7f0e), new Color(0xd62728)));
		save(chart, file);
	}

	/**
	 * Saga latency percentiles against the throughput achieved, one point per run.
	 * @param results the open-model runs, slowest first
	 * @param file the PNG to write
	 */
	static void latencyByRate(List<LoadResult> results, Path file) {
		XYSeriesCollection percentiles = collection(series("p50", results, (r) -> r.endToEnd().p50()),
				series("p90", results, (r) -> r.endToEnd().p90()), series("p99", results, (r) -> r.endToEnd().p99()),
				series("p99.9", results, (r) -> r.endToEnd().p999()));
		JFreeChart chart = ChartFactory.createXYLineChart("Saga latency by throughput (open model)",
				"completed sagas per second", "saga latency (ms)", percentiles);
		XYPlot plot = chart.getXYPlot();
		LogAxis millis = new LogAxis("saga latency (ms, log scale)");
		millis.setSmallestValue(0.5);
		millis.setNumberFormatOverride(new DecimalFormat("#,##0.#"));
		plot.setRangeAxis(millis);
		XYLineAndShapeRenderer renderer = lines(new Color(0x2ca02c), new Color(0x1f77b4), new Color(0xff7f0e),
				new Color(0xd62728));
		renderer.setDefaultShapesVisible(true);
		plot.setRenderer(renderer);
		save(chart, file);
	}

	/**
	 * The overload curves: what each kind of client got, against the rate it offered;
	 * orders per second on the left, the accepted orders' saga p99 on the right (dashed).
	 * @param curves each kind of client's runs
	 * @param file the PNG to write
	 */
	static void overload(List<BenchmarkResult.Overload> curves, Path file) {
		XYSeriesCollection rates = new XYSeriesCollection();
		XYSeriesCollection latency = new XYSeriesCollection();
		for (BenchmarkResult.Overload curve : curves) {
			XYSeries accepted = new XYSeries(curve.kind() + ": accepted/s", false);
			XYSeries completed = new XYSeries(curve.kind() + ": completed/s", false);
			XYSeries refused = new XYSeries(curve.kind() + ": refused (503)/s", false);
			XYSeries p99 = new XYSeries(curve.kind() + ": saga p99 (ms)", false);
			for (LoadResult run : curve.runs()) {
				accepted.add(run.targetRate(), run.acceptedPerSecond());
				completed.add(run.targetRate(), run.completedPerSecond());
				refused.add(run.targetRate(), run.refused() / run.seconds());
				p99.add(run.targetRate(), run.endToEnd().p99());
			}
			rates.addSeries(accepted);
			rates.addSeries(completed);
			rates.addSeries(refused);
			latency.addSeries(p99);
		}
		JFreeChart chart = ChartFactory.createXYLineChart("Overload: offered orders against what became of them",
				"offered orders per second (open model)", "orders per second", rates);
		XYPlot plot = chart.getXYPlot();
		plot.setDataset(1, latency);
		plot.setRangeAxis(1, new NumberAxis("accepted orders' saga p99 (ms, dashed)"));
		plot.mapDatasetToRangeAxis(1, 1);
		XYLineAndShapeRenderer solid = lines(new Color(0x1f77b4), new Color(0x2ca02c), new Color(0xd62728),
				new Color(0x9ecae1), new Color(0x98df8a), new Color(0xff9896));
		solid.setDefaultShapesVisible(true);
		plot.setRenderer(0, solid);
		XYLineAndShapeRenderer dashed = lines(new Color(0xff7f0e), new Color(0xffbb78));
		for (int i = 0; i < curves.size(); i++) {
			dashed.setSeriesStroke(i,
					new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] { 6f, 4f }, 0f));
		}
		plot.setRenderer(1, dashed);
		save(chart, file);
	}

	/**
	 * What a soak run's services kept, sample by sample: resident memory on the left, the
	 * entries of their state stores on the right.
	 * @param samples the samples, oldest first
	 * @param file the PNG to write
	 */
	static void soak(List<Soak.Sample> samples, Path file) {
		XYSeriesCollection memory = new XYSeriesCollection();
		XYSeriesCollection state = new XYSeriesCollection();
		for (String service : LaunchedSuite.SERVICES) {
			XYSeries rss = new XYSeries(service + " RSS (MiB)");
			XYSeries streams = new XYSeries(service + " state store entries (thousands)");
			for (Soak.Sample sample : samples) {
				rss.add(sample.minute(), sample.rssMiB().get(service));
				streams.add(sample.minute(), sample.entries(service) / 1000.0);
			}
			memory.addSeries(rss);
			state.addSeries(streams);
		}
		JFreeChart chart = ChartFactory.createXYLineChart("Soak: memory and state stores over time", "minutes",
				"resident memory (MiB)", memory);
		XYPlot plot = chart.getXYPlot();
		plot.setDataset(1, state);
		plot.setRangeAxis(1, new NumberAxis("state store entries (thousands, dashed)"));
		plot.mapDatasetToRangeAxis(1, 1);
		plot.setRenderer(0, lines(new Color(0x1f77b4), new Color(0x2ca02c), new Color(0xff7f0e)));
		XYLineAndShapeRenderer dashed = lines(new Color(0x1f77b4), new Color(0x2ca02c), new Color(0xff7f0e));
		for (int i = 0; i < LaunchedSuite.SERVICES.size(); i++) {
			dashed.setSeriesStroke(i,
					new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] { 6f, 4f }, 0f));
		}
		plot.setRenderer(1, dashed);
		save(chart, file);
	}

	private static XYSeries series(String name, List<LoadResult> results, ToDoubleFunction<LoadResult> latency) {
		XYSeries series = new XYSeries(name, false);
		for (LoadResult result : results) {
			series.add(result.completedPerSecond(), Math.max(0.5, latency.applyAsDouble(result)));
		}
		return series;
	}

	private static XYSeriesCollection collection(XYSeries... series) {
		XYSeriesCollection collection = new XYSeriesCollection();
		for (XYSeries one : series) {
			collection.addSeries(one);
		}
		return collection;
	}

	private static XYLineAndShapeRenderer lines(Color... colors) {
		XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, false);
		for (int i = 0; i < colors.length; i++) {
			renderer.setSeriesPaint(i, colors[i]);
			renderer.setSeriesStroke(i, new BasicStroke(2f));
		}
		return renderer;
	}

	private static void save(JFreeChart chart, Path file) {
		chart.setBackgroundPaint(Color.WHITE);
		chart.getXYPlot().setBackgroundPaint(Color.WHITE);
		chart.getXYPlot().setDomainGridlinePaint(Color.LIGHT_GRAY);
		chart.getXYPlot().setRangeGridlinePaint(Color.LIGHT_GRAY);
		try {
			ChartUtils.saveChartAsPNG(file.toFile(), chart, WIDTH, HEIGHT);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
