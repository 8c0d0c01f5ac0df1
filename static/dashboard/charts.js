/* Dashboard and figure charts. Each element with data-dashboard-chart="<name>" draws charts[<name>]
   from the JSON in #dashboard-charts: {title, kind (bar|stacked|line|pie), categories, series:
   [{name, values, links?}], links?}. Clicking a segment follows its link (series.links[i], else
   links[i]): the drill-down. ECharts gets the page's language (zh-hans -> ZH, otherwise EN). */
(function () {
  "use strict";
  const source = document.getElementById("dashboard-charts");
  document.querySelectorAll("select[data-autosubmit]").forEach((select) => {
    select.addEventListener("change", () => select.form.submit());
  });
  if (!source || typeof echarts === "undefined") return;
  const charts = JSON.parse(source.textContent);
  const locale = (document.documentElement.lang || "").toLowerCase().startsWith("zh") ? "ZH" : "EN";
  const colors = ["#c0392b", "#e67e22", "#f1c40f", "#16a085", "#2980b9", "#8e44ad", "#7f8c8d", "#2c3e50"];

  function option(c) {
    const title = { text: c.title, left: "center", textStyle: { fontSize: 14 } };
    if (c.kind === "pie") {
      const series = c.series[0] || { values: [] };
      return {
        color: colors, title, tooltip: { trigger: "item", renderMode: "richText" },
        legend: { bottom: 0, type: "scroll" },
        series: [{ type: "pie", radius: ["30%", "62%"], top: 24, bottom: 30, name: series.name,
                   label: { formatter: "{b}\n{d}%" },
                   data: c.categories.map((name, i) => ({ name, value: series.values[i] })) }],
      };
    }
    const stacked = c.kind === "stacked";
    return {
      color: colors, title, tooltip: { trigger: "axis", renderMode: "richText" },
      legend: { bottom: 0, type: "scroll" },
      grid: { left: 60, right: 20, bottom: 70, top: 50, containLabel: true },
      xAxis: { type: "category", data: c.categories, axisLabel: { interval: 0, rotate: c.categories.length > 8 ? 30 : 0 } },
      yAxis: { type: "value", name: c.unit || "" },
      series: c.series.map((s) => ({
        name: s.name, type: c.kind === "line" ? "line" : "bar", stack: stacked ? "total" : undefined,
        data: s.values, cursor: "pointer", barMaxWidth: 64,
        label: { show: !stacked && c.categories.length * c.series.length <= 24, position: "top" },
      })),
    };
  }

  const instances = [];
  document.querySelectorAll("[data-dashboard-chart]").forEach((element) => {
    const c = charts[element.dataset.dashboardChart];
    if (!c) return;
    const chart = echarts.init(element, null, { locale: locale, renderer: "canvas" });
    chart.setOption(option(c));
    chart.on("click", (params) => {
      const series = c.series[params.seriesIndex] || {};
      const link = (series.links && series.links[params.dataIndex]) || (c.links && c.links[params.dataIndex]);
      if (link) window.location.assign(link);
    });
    element.dataset.ready = "1";
    instances.push(chart);
  });
  window.addEventListener("resize", () => instances.forEach((chart) => chart.resize()));
})();
