/* Collective-economy charts: each element with data-chart="<name>" draws charts[<name>] from the
   JSON in #ce-charts. ECharts gets the page's language (zh-hans -> ZH, otherwise EN). */
(function () {
  "use strict";
  const source = document.getElementById("ce-charts");
  if (!source || typeof echarts === "undefined") return;
  const charts = JSON.parse(source.textContent);
  const locale = (document.documentElement.lang || "").toLowerCase().startsWith("zh") ? "ZH" : "EN";
  const colors = ["#c0392b", "#e67e22", "#f1c40f", "#16a085", "#2980b9", "#8e44ad"];
  const toolbox = { feature: { saveAsImage: {} }, right: 10 };

  const builders = {
    brackets: (c) => ({
      title: { text: c.title, left: "center", textStyle: { fontSize: 14 } },
      tooltip: { trigger: "axis" },
      toolbox,
      grid: { left: 50, right: 20, bottom: 60, top: 50 },
      xAxis: { type: "category", data: c.labels, axisLabel: { interval: 0, rotate: 20 } },
      yAxis: { type: "value", minInterval: 1 },
      series: [{ name: c.name, type: "bar", data: c.values, label: { show: true, position: "top" },
                 itemStyle: { color: (p) => colors[p.dataIndex % colors.length] } }],
    }),
    sources: (c) => ({
      title: { text: c.title, left: "center", textStyle: { fontSize: 14 } },
      tooltip: { trigger: "item", valueFormatter: (v) => Number(v).toLocaleString(locale === "ZH" ? "zh-CN" : "en") },
      toolbox,
      legend: { bottom: 0, type: "scroll" },
      series: [{ type: "pie", radius: ["35%", "65%"], top: 20, bottom: 30,
                 data: c.items.map((i) => ({ name: i.name, value: Number(i.value) })),
                 label: { formatter: "{b}\n{d}%" } }],
    }),
    trend: (c) => ({
      title: { text: c.title, left: "center", textStyle: { fontSize: 14 } },
      tooltip: { trigger: "axis" },
      toolbox,
      grid: { left: 80, right: 20, bottom: 30, top: 50 },
      xAxis: { type: "category", data: c.years.map(String) },
      yAxis: { type: "value" },
      series: [{ name: c.name, type: "line", data: c.totals.map(Number), smooth: true, areaStyle: {} }],
    }),
    village: (c) => ({
      title: { text: c.title, left: "center", textStyle: { fontSize: 14 } },
      tooltip: { trigger: "axis" },
      toolbox,
      legend: { bottom: 0, type: "scroll" },
      grid: { left: 70, right: 20, bottom: 50, top: 50 },
      xAxis: { type: "category", data: c.years.map(String) },
      yAxis: { type: "value" },
      series: c.series
        .map((s, i) => ({ name: s.name, type: "bar", stack: "sources", data: s.values.map(Number),
                          itemStyle: { color: colors[i % colors.length] } }))
        .concat([{ name: c.total.name, type: "line", data: c.total.values.map(Number), symbolSize: 8 }]),
    }),
  };

  const instances = [];
  document.querySelectorAll("[data-chart]").forEach((element) => {
    const name = element.dataset.chart;
    if (!charts[name] || !builders[name]) return;
    const chart = echarts.init(element, null, { locale: locale, renderer: "canvas" });
    chart.setOption(builders[name](charts[name]));
    instances.push(chart);
  });
  window.addEventListener("resize", () => instances.forEach((chart) => chart.resize()));
})();
