"""The regional distribution page in a real browser (headless Chromium): the vendored ECharts draws
the China map from the vendored outline (nothing is asked of another host, no policy violation),
a click on a province — on the map or in the ranked table — opens its cities, whose chart draws
too. Screenshots are saved under the test's temporary directory (paths printed)."""

import random
from urllib.parse import urlsplit

import pytest
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from core.regions import get_province
from plugins.bigdata.services.facts import write
from tests import factories
from tests.bigdata.test_regions_page import order
from tests.browser.conftest import requested_urls
from tests.browser.test_content_security_policy import sign_in, violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

#: province → cities, like the demo's customers
PLACES = {
    "广东省": ("深圳市", "东莞市", "佛山市", "广州市"),
    "江苏省": ("苏州市", "南京市", "无锡市"),
    "浙江省": ("杭州市", "宁波市", "温州市"),
    "山东省": ("济南市", "青岛市", "烟台市"),
    "河北省": ("石家庄市", "唐山市"),
    "河南省": ("郑州市", "洛阳市"),
    "湖北省": ("武汉市", "襄阳市"),
    "湖南省": ("长沙市", "株洲市"),
    "四川省": ("成都市", "绵阳市"),
    "福建省": ("厦门市", "福州市"),
    "安徽省": ("合肥市", "芜湖市"),
    "辽宁省": ("沈阳市", "大连市"),
    "陕西省": ("西安市", "宝鸡市"),
    "北京市": ("北京市",),
    "上海市": ("上海市",),
    "天津市": ("天津市",),
    "重庆市": ("重庆市",),
    "江西省": ("南昌市", "赣州市"),
    "山西省": ("太原市", "大同市"),
    "吉林省": ("长春市", "吉林市"),
    "黑龙江省": ("哈尔滨市", "大庆市"),
    "广西壮族自治区": ("南宁市", "柳州市"),
    "云南省": ("昆明市", "曲靖市"),
    "贵州省": ("贵阳市", "遵义市"),
    "甘肃省": ("兰州市",),
    "新疆维吾尔自治区": ("乌鲁木齐市",),
    "内蒙古自治区": ("包头市", "呼和浩特市"),
}


def demo_like_sales(orders: int = 400) -> None:
    rng = random.Random(7)
    provinces = list(PLACES)
    weights = [1 / (i + 1) for i in range(len(provinces))]  # the coast sells most
    rows = []
    for n in range(1, orders + 1):
        name = rng.choices(provinces, weights=weights)[0]
        code = get_province(name).code
        city = rng.choice(PLACES[name])
        company = provinces.index(name) * 10 + PLACES[name].index(city)
        revenue = rng.randint(5_000, 2_000_000)
        rows += order(
            n,
            (code, name),
            city,
            company,
            revenue,
            days_ago=rng.randint(1, 330),
            refund=revenue // 3 if rng.random() < 0.05 else 0,
            cancelled=rng.random() < 0.03,
        )
    write(rows)


def drawn(browser, element_id: str, timeout: int = 30):
    try:
        return WebDriverWait(browser, timeout).until(
            lambda b: b.find_element(By.CSS_SELECTOR, f'#{element_id}[data-rendered="1"]')
        )
    except Exception:
        raise AssertionError([e["message"] for e in browser.get_log("browser")]) from None


def foreign(urls: list[str], site: str) -> list[str]:
    own = urlsplit(site).netloc
    return [u for u in urls if urlsplit(u).scheme in ("http", "https", "ws", "wss") and urlsplit(u).netloc != own]


def save(browser, tmp_path, name: str) -> str:
    path = tmp_path / f"{name}.png"
    browser.save_screenshot(str(path))
    print(f"screenshot: {path}")  # noqa: T201  (the path in the test's output)
    return str(path)


def test_the_map_draws_offline_and_a_province_opens_its_cities(live_server, browser, tmp_path, record_property):
    demo_like_sales()
    site = live_server.url
    sign_in(browser, site, factories.operator("mapviewer"))
    requested_urls(browser)  # start from an empty log
    violations(browser)

    browser.get(f"{site}/dashboard/analytics/regions/")
    chart = drawn(browser, "chart-province-map")
    seen = requested_urls(browser)
    assert any(u.endswith("/bigdata/vendor/echarts/echarts.min.js") for u in seen)
    assert any(u.endswith("/bigdata/vendor/map/china.json") for u in seen)
    assert foreign(seen, site) == []
    assert violations(browser) == []
    assert "示意图" in browser.find_element(By.CSS_SELECTOR, ".bigdata-chart-box figcaption").text
    assert chart.find_element(By.TAG_NAME, "canvas").size["width"] > 300
    rows = browser.find_elements(By.CSS_SELECTOR, "#table-provinces tbody tr")
    assert len(rows) == len(PLACES)
    record_property("screenshot", save(browser, tmp_path, "regions-provinces"))

    # a click on 广东 on the map opens its cities (the province's centre, as ECharts places it)
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'});", chart)
    x, y = browser.execute_script(
        "var c = echarts.getInstanceByDom(arguments[0]);return c.convertToPixel({seriesIndex: 0}, [113.28, 23.12]);",
        chart,
    )
    size = chart.size
    ActionChains(browser).move_to_element_with_offset(
        chart, int(x - size["width"] / 2), int(y - size["height"] / 2)
    ).click().perform()
    WebDriverWait(browser, 15).until(lambda b: "/dashboard/analytics/regions/440000/" in b.current_url)
    drawn(browser, "chart-city-bars")
    cities = [
        r.find_elements(By.TAG_NAME, "td")[1].text
        for r in browser.find_elements(By.CSS_SELECTOR, "#table-cities tbody tr")
    ]
    assert sorted(cities) == sorted(PLACES["广东省"])
    record_property("screenshot-cities", save(browser, tmp_path, "regions-guangdong-cities"))

    # back, and down again through the table's link of 浙江
    browser.find_element(By.ID, "back-to-provinces").click()
    drawn(browser, "chart-province-map")
    browser.find_element(By.XPATH, "//table//a[contains(@class, 'row-link') and text()='浙江省']").click()
    WebDriverWait(browser, 15).until(lambda b: "/dashboard/analytics/regions/330000/" in b.current_url)
    drawn(browser, "chart-city-bars")
    assert foreign(requested_urls(browser), site) == []
    assert violations(browser) == []
