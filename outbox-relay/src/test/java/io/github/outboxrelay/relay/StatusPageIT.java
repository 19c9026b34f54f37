package io.github.outboxrelay.relay;

import static io.github.outboxrelay.relay.FaultTestSupport.CATCH_UP;
import static io.github.outboxrelay.relay.RelayTestSupport.pending;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.outboxrelay.writer.OutboxEvent;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The status page in a real headless Chromium (Debian's chromium and chromium-driver, no browser
 * download): it shows the relay's state, the rate chart and the parked events, and its requeue and
 * skip buttons work. CI installs both and requires the test (OUTBOX_REQUIRE_CHROMIUM); elsewhere it
 * is skipped without them. It leaves a screenshot in target/status-page.png.
 */
class StatusPageIT {

  @RegisterExtension static final RelayHarness harness = RelayHarness.onSharedKafka();

  private static WebDriver browser;

  @BeforeAll
  static void startBrowser() {
    Optional<String> driver = RelayTestSupport.onPath("chromedriver");
    Optional<String> chromium = RelayTestSupport.onPath("chromium");
    if (System.getenv("OUTBOX_REQUIRE_CHROMIUM") != null) {
      assertThat(driver).as("chromedriver, which CI requires").isPresent();
      assertThat(chromium).as("chromium, which CI requires").isPresent();
    }
    Assumptions.assumeTrue(
        driver.isPresent() && chromium.isPresent(), "chromium and chromedriver are not here");
    ChromeOptions options = new ChromeOptions();
    options.setBinary(chromium.get());
    options.addArguments(
        "--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,900");
    browser =
        new ChromeDriver(
            new ChromeDriverService.Builder().usingDriverExecutable(new File(driver.get())).build(),
            options);
  }

  @AfterAll
  static void stopBrowser() {
    if (browser != null) {
      browser.quit();
    }
  }

  @Test
  void theOperatorSeesTheStateAndRequeuesAndSkipsParkedEvents() throws Exception {
    String topic = harness.createTopic("page", 3);
    List<OutboxEvent> events = RelayTestSupport.events(topic, 30, 5);
    RelayTestSupport.commit(harness.postgres(), events);
    await().atMost(CATCH_UP).until(() -> pending(harness.postgres()) == 0);
    UUID requeued = parkedRow(topic, "order-requeue");
    UUID skipped = parkedRow(topic, "order-skip");
    UUID held = heldBehind(requeued, topic, "order-requeue");

    browser.get("http://127.0.0.1:" + harness.relay().getAdminPort() + "/status/");
    WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(30));
    wait.until(page -> row(requeued).isPresent() && row(skipped).isPresent());
    assertThat(text("claiming")).isEqualTo("claiming");
    assertThat(text("paused")).isEqualTo("nothing");
    wait.until(page -> text("parked").equals("2 / 1"));
    assertThat(text("parked-rows")).contains("order-requeue").doesNotContain("1970");
    for (int i = 1; i <= 4; i++) { // traffic for the chart: a burst between two of its readings
      RelayTestSupport.commit(harness.postgres(), RelayTestSupport.events(topic, 500 * i, 5));
      int seen = chartPoints();
      wait.until(page -> chartPoints() > seen);
    }
    wait.until(page -> !text("rate").equals("0.0 /s"));
    assertThat(browser.findElement(By.id("chart")).isDisplayed()).isTrue();
    screenshot();

    clickIn(wait, requeued, "requeue");
    wait.until(page -> row(requeued).isEmpty());
    assertThat(text("message")).isEqualTo("Requeued " + requeued + ": 1 held event(s) released.");
    await().atMost(CATCH_UP).until(() -> parkedAt(held) == null);

    clickIn(wait, skipped, "skip");
    browser.switchTo().alert().sendKeys("refunded by hand");
    browser.switchTo().alert().accept();
    wait.until(page -> row(skipped).isEmpty());
    assertThat(skipReason(skipped)).isEqualTo("refunded by hand");
    wait.until(page -> text("parked").equals("0 / 0"));
  }

  /**
   * Clicks a row's button. The page redraws the parked list every few seconds, so the row found may
   * be replaced before the click lands (StaleElementReferenceException, seen in CI): find it again
   * and click then. A click on a stale element never reaches the page, so nothing is clicked twice.
   */
  private static void clickIn(WebDriverWait wait, UUID id, String button) {
    wait.ignoring(org.openqa.selenium.StaleElementReferenceException.class)
        .until(
            page -> {
              row(id).orElseThrow().findElement(By.className(button)).click();
              return true;
            });
  }

  private static Optional<WebElement> row(UUID id) {
    return browser.findElements(By.cssSelector("tr[data-id='" + id + "']")).stream().findFirst();
  }

  /** The readings the page's chart holds. */
  private static int chartPoints() {
    return ((Number)
            ((org.openqa.selenium.JavascriptExecutor) browser)
                .executeScript("return samples.length"))
        .intValue();
  }

  private static String text(String id) {
    return browser.findElement(By.id(id)).getText();
  }

  /** The page as the README shows it (docs/status-page.png is a copy of one such run). */
  private static void screenshot() throws Exception {
    File shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
    Files.copy(
        shot.toPath(), Path.of("target/status-page.png"), StandardCopyOption.REPLACE_EXISTING);
  }

  private static UUID parkedRow(String topic, String key) throws Exception {
    return RelayTestSupport.parkedRow(
        harness.postgres(), topic, key, "RecordTooLargeException: the message is 1048700 bytes");
  }

  /**
   * An event of {@code key} held behind the parked event {@code parked}, as the relay holds one.
   */
  private static UUID heldBehind(UUID parked, String topic, String key) throws Exception {
    UUID id = UUID.randomUUID();
    try (Connection connection = harness.postgres().dataSource().getConnection();
        PreparedStatement insert =
            connection.prepareStatement(
                "INSERT INTO outbox (id, aggregatetype, aggregateid, type, topic, payload,"
                    + " parked_at, held_by) SELECT ?, 'order', ?, 'OrderPlaced', ?, '{}', now(),"
                    + " seq FROM outbox WHERE id = ?")) {
      insert.setObject(1, id);
      insert.setString(2, key);
      insert.setString(3, topic);
      insert.setObject(4, parked);
      assertThat(insert.executeUpdate()).isOne();
    }
    return id;
  }

  private static java.sql.Timestamp parkedAt(UUID id) throws Exception {
    try (Connection connection = harness.postgres().dataSource().getConnection();
        PreparedStatement statement =
            connection.prepareStatement("SELECT parked_at FROM outbox WHERE id = ?")) {
      statement.setObject(1, id);
      try (ResultSet rs = statement.executeQuery()) {
        assertThat(rs.next()).isTrue();
        return rs.getTimestamp(1);
      }
    }
  }

  private static String skipReason(UUID id) throws Exception {
    try (Connection connection = harness.postgres().dataSource().getConnection();
        PreparedStatement statement =
            connection.prepareStatement("SELECT skip_reason FROM outbox WHERE id = ?")) {
      statement.setObject(1, id);
      try (ResultSet rs = statement.executeQuery()) {
        assertThat(rs.next()).isTrue();
        return rs.getString(1);
      }
    }
  }
}
