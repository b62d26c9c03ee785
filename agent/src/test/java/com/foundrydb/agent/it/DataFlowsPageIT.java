package com.foundrydb.agent.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The Data Flows page in a real browser (Debian's headless chromium through chromedriver) against
 * the real agent: sign in, a form error beside its field, create a pipeline through the form, see
 * it running and a new row reflected as its last change, pause it, delete it and see it gone.
 */
@ExtendWith(TestStack.class)
class DataFlowsPageIT {
    private static WebDriver browser;
    private final TestStack s = TestStack.get();

    @BeforeAll
    static void startBrowser() throws Exception {
        Path chromium = Prerequisite.require("chromium", "the Data Flows page");
        Path driver = Prerequisite.require("chromedriver", "the Data Flows page");
        ChromeOptions options = new ChromeOptions()
                .setBinary(chromium.toFile())
                .addArguments(
                        "--headless=new",
                        "--no-sandbox",
                        "--disable-gpu",
                        "--no-first-run",
                        "--disable-background-networking",
                        "--disable-component-update",
                        "--disable-sync",
                        "--disable-dev-shm-usage",
                        "--window-size=1280,800",
                        "--user-data-dir=" + Files.createTempDirectory("data-flows-chromium"));
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(driver.toFile())
                .usingAnyFreePort()
                .build();
        browser = new ChromeDriver(service, options);
    }

    @AfterAll
    static void stopBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    private WebDriverWait waiting(int seconds) {
        return new WebDriverWait(browser, Duration.ofSeconds(seconds), Duration.ofMillis(250));
    }

    private WebElement byId(String id) {
        return browser.findElement(By.id(id));
    }

    private WebElement row(String name) {
        return browser.findElement(By.cssSelector("#pipelines tr[data-name='" + name + "']"));
    }

    private String cell(String name, int index) {
        return row(name).findElements(By.tagName("td")).get(index).getText();
    }

    @Test
    void createWatchPauseAndDeleteAPipelineInTheBrowser() throws Exception {
        try (Connection c = s.primary("shop");
                Statement st = c.createStatement()) {
            st.execute("create table if not exists public.page_audit (at timestamptz, line text)");
        }
        String base = "http://127.0.0.1:" + s.stack().state().agentPort;
        browser.get(base + "/ui");
        viewport(1280, 800);

        byId("token").sendKeys("not-the-token", Keys.ENTER);
        waiting(30).until(ExpectedConditions.textToBePresentInElementLocated(By.id("token-error"), "token"));
        byId("token").clear();
        byId("token").sendKeys(s.stack().state().token, Keys.ENTER);
        waiting(30).until(ExpectedConditions.visibilityOfElementLocated(By.id("create-form")));
        String token = (String)
                ((JavascriptExecutor) browser).executeScript("return sessionStorage.getItem('foundrydb.token')");
        assertThat(token).isEqualTo(s.stack().state().token);
        assertThat(browser.getCurrentUrl()).doesNotContain(token);

        waiting(30)
                .until(ExpectedConditions.presenceOfElementLocated(
                        By.cssSelector("#table-list input[value='public.orders']")));
        WebElement noKey = browser.findElement(By.cssSelector("#table-list input[value='public.page_audit']"));
        assertThat(noKey.isEnabled()).isFalse();
        assertThat(noKey.findElement(By.xpath("./ancestor::label")).getText())
                .contains("not capturable: no primary key");

        // The API's validation error shows beside the field it names.
        byId("name").sendKeys("page orders!");
        byId("topic-prefix").sendKeys("page");
        browser.findElement(By.cssSelector("#table-list input[value='public.orders']"))
                .click();
        byId("create").click();
        waiting(30).until(ExpectedConditions.textToBePresentInElementLocated(By.id("name-error"), "name"));
        assertThat(byId("name").getAttribute("aria-invalid")).isEqualTo("true");
        assertThat(browser.findElements(By.cssSelector("#name-error .hint"))).isNotEmpty();

        byId("name").clear();
        byId("name").sendKeys("page-orders");
        byId("create").click();
        waiting(30).until(ExpectedConditions.textToBePresentInElementLocated(By.id("notice"), "Created page-orders"));
        waiting(240)
                .until(d -> cell("page-orders", 1).startsWith("running")
                        && cell("page-orders", 2).equals("RUNNING / RUNNING"));
        assertThat(cell("page-orders", 5))
                .isEqualTo("127.0.0.1:" + s.stack().primary().port());
        // The agent's judgement (the Ready condition) is the phase's tooltip.
        waiting(60)
                .until(d -> String.valueOf(row("page-orders")
                                .findElement(By.cssSelector(".phase"))
                                .getAttribute("title"))
                        .startsWith("Ready: True (Running)"));

        Instant inserted;
        try (Connection c = s.primary("shop");
                Statement st = c.createStatement();
                ResultSet rs =
                        st.executeQuery("insert into public.orders (item, quantity) values ('seen-on-the-page', 1)"
                                + " returning statement_timestamp()")) {
            rs.next();
            inserted = rs.getTimestamp(1).toInstant();
        }
        waiting(120).until(d -> {
            List<WebElement> t = row("page-orders").findElements(By.cssSelector("time"));
            return !t.isEmpty()
                    && !Instant.parse(t.get(0).getAttribute("datetime")).isBefore(inserted);
        });
        assertThat(cell("page-orders", 3)).matches("\\d.* (B|KiB|MiB)");
        screenshot("data-flows.png");

        viewport(390, 844);
        assertThat(browser.findElement(By.cssSelector("#pipelines thead"))
                        .getSize()
                        .getWidth())
                .isLessThanOrEqualTo(1);
        assertThat(row("page-orders").findElement(By.cssSelector(".toggle")).isDisplayed())
                .isTrue();
        screenshot("data-flows-narrow.png");
        viewport(1280, 800);

        WebElement pause = row("page-orders").findElement(By.cssSelector(".toggle"));
        assertThat(pause.getText()).isEqualTo("Pause");
        pause.sendKeys(Keys.ENTER); // keyboard, as a user tabbing to it would
        waiting(180)
                .until(d -> cell("page-orders", 1).startsWith("stopped")
                        && row("page-orders")
                                .findElement(By.cssSelector(".toggle"))
                                .getText()
                                .equals("Resume"));
        assertThat(cell("page-orders", 2)).startsWith("STOPPED");

        String id = row("page-orders").getAttribute("data-id");
        row("page-orders").findElement(By.cssSelector(".delete")).click();
        waiting(10).until(ExpectedConditions.visibilityOfElementLocated(By.id("confirm-delete")));
        assertThat(byId("confirm-name").getText()).isEqualTo("page-orders");
        byId("confirm-delete-button").click();
        waiting(30).until(ExpectedConditions.textToBePresentInElementLocated(By.id("notice"), "Deleting page-orders"));
        waiting(180)
                .until(ExpectedConditions.textToBePresentInElementLocated(By.id("notice"), "page-orders is deleted"));
        assertThat(browser.findElements(By.cssSelector("#pipelines tr[data-name='page-orders']")))
                .isEmpty();
        assertThat(Residue.of(s, id)).isEmpty();

        byId("sign-out").click();
        assertThat(((JavascriptExecutor) browser).executeScript("return sessionStorage.getItem('foundrydb.token')"))
                .isNull();
        assertThat(byId("token").isDisplayed()).isTrue();
    }

    /** Sizes the window so that the page itself gets width x height (the window's frame aside). */
    private static void viewport(int width, int height) {
        browser.manage().window().setSize(new Dimension(width, height));
        JavascriptExecutor js = (JavascriptExecutor) browser;
        long innerWidth = (Long) js.executeScript("return window.innerWidth");
        long innerHeight = (Long) js.executeScript("return window.innerHeight");
        browser.manage().window().setSize(new Dimension(2 * width - (int) innerWidth, 2 * height - (int) innerHeight));
    }

    private static void screenshot(String name) throws Exception {
        Path dir = Path.of(System.getProperty("foundrydb.screenshots"));
        Files.createDirectories(dir);
        File shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
        Files.copy(shot.toPath(), dir.resolve(name), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
}
