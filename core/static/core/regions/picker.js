// Cascading 省 / 市 / 区县 pickers. A form marks its fields (core.regions.region_attrs):
//   <select data-region="province" data-divisions="/static/core/regions/divisions.json">
//   <input data-region="city" data-choose="Choose the city">
//   <input data-region="district" data-choose="Choose the district or county">
// The city and district text inputs become lists of the chosen province's cities and the chosen
// city's districts (same name, so the form posts the same field). Where the data has no cities
// (台湾, 香港, 澳门) the text input comes back. Without JavaScript the text inputs stay, and the
// server checks them against the same data. The data file is loaded once per page.
(function () {
  var provinces = document.querySelectorAll('select[data-region="province"][data-divisions]');
  if (!provinces.length) { return; }

  function option(value, label, selected) {
    var o = document.createElement("option");
    o.value = value;
    o.textContent = label;
    if (selected) { o.selected = true; }
    return o;
  }

  // a list that stands in for a text input; only the visible one is enabled (and so posted)
  function pairWith(input) {
    var select = document.createElement("select");
    select.name = input.name;  // posted in the input's place while shown (the hidden input is disabled)
    select.className = input.className.replace(/\bform-control\b/, "") + " form-control";
    select.setAttribute("data-region-list", input.getAttribute("data-region"));
    if (input.required) { select.required = true; }
    var described = input.getAttribute("aria-describedby");
    if (described) { select.setAttribute("aria-describedby", described); }
    input.parentNode.insertBefore(select, input.nextSibling);
    return select;
  }

  function show(input, select, useList) {
    select.hidden = !useList;
    select.disabled = !useList;
    input.hidden = useList;
    input.disabled = useList;
    // the label points at whichever is shown
    var id = input.getAttribute("data-region-id") || input.id;
    input.setAttribute("data-region-id", id);
    if (useList) { input.id = ""; select.id = id; } else { select.id = ""; input.id = id; }
  }

  function fill(select, entries, current, prompt) {
    select.textContent = "";
    select.appendChild(option("", prompt, false));
    var found = false;
    entries.forEach(function (entry) {
      var chosen = entry[1] === current;
      found = found || chosen;
      select.appendChild(option(entry[1], entry[1], chosen));
    });
    if (!found && entries.length === 1) { select.options[1].selected = true; }  // 北京市 → 北京市
    return select.value;
  }

  function wire(province, data) {
    var form = province.form || document;
    var city = form.querySelector('input[data-region="city"]');
    if (!city) { return; }
    var district = form.querySelector('input[data-region="district"]');
    var cityList = pairWith(city);
    var districtList = district ? pairWith(district) : null;
    var byProvince = {};
    data.provinces.forEach(function (p) { byProvince[p[1]] = p[2]; });

    function districtsOf(cities, name) {
      for (var i = 0; i < cities.length; i++) { if (cities[i][1] === name) { return cities[i][2]; } }
      return [];
    }
    function refreshDistricts(cities) {
      if (!district) { return; }
      var districts = cities ? districtsOf(cities, cityList.value) : [];
      var useList = !!cities && (districts.length > 0 || !cityList.value);
      if (useList) {
        fill(districtList, districts, district.value, district.getAttribute("data-choose"));
        district.value = districtList.value;
      }
      show(district, districtList, !!cities && useList);
    }
    function refresh() {
      var cities = byProvince[province.value];
      if (cities && cities.length) {
        fill(cityList, cities, city.value, city.getAttribute("data-choose"));
        city.value = cityList.value;
        show(city, cityList, true);
        refreshDistricts(cities);
      } else {
        show(city, cityList, false);
        refreshDistricts(null);
      }
    }
    province.addEventListener("change", function () {
      city.value = "";
      if (district) { district.value = ""; }
      refresh();
    });
    cityList.addEventListener("change", function () {
      city.value = cityList.value;
      if (district) { district.value = ""; }
      refreshDistricts(byProvince[province.value]);
    });
    if (districtList) {
      districtList.addEventListener("change", function () { district.value = districtList.value; });
    }
    refresh();
  }

  fetch(provinces[0].getAttribute("data-divisions"), { credentials: "same-origin" })
    .then(function (response) { return response.ok ? response.json() : null; })
    .then(function (data) {
      if (!data) { return; }
      provinces.forEach(function (province) { wire(province, data); });
    })
    .catch(function () { /* the text fields stay; the server checks them */ });
})();
