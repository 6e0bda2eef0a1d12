package kz.freedomid.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A real headless Chromium driven through chromedriver (Debian's {@code chromium} and {@code chromium-driver}, which
 * {@code .ci/run} installs). Fails loudly when they are missing: a page test never passes without a browser.
 */
public final class RealBrowser implements AutoCloseable {
    public static final Path SCREENSHOTS = Path.of("target", "screenshots");
    private static final List<String> BINARIES = List.of("/usr/bin/chromium", "/usr/bin/chromium-browser");
    private static final List<String> DRIVERS = List.of("/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver");

    public final ChromeDriver driver;
    private final String baseUrl;

    public RealBrowser(String baseUrl, String acceptLanguage) {
        this.baseUrl = baseUrl;
        ChromeOptions options = new ChromeOptions();
        options.setBinary(find(BINARIES, "chromium (apt-get install chromium)"));
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
                "--window-size=1200,900", "--lang=" + acceptLanguage);
        options.setExperimentalOption("prefs", java.util.Map.of("intl.accept_languages", acceptLanguage));
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(Path.of(find(DRIVERS, "chromedriver (apt-get install chromium-driver)")).toFile())
                .usingAnyFreePort().build();
        this.driver = new ChromeDriver(service, options);
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
    }

    private static String find(List<String> candidates, String what) {
        return candidates.stream().filter(p -> Files.isExecutable(Path.of(p))).findFirst()
                .orElseThrow(() -> new IllegalStateException("page tests need " + what + "; none of " + candidates + " exists"));
    }

    public void open(String path) {
        driver.get(baseUrl + path);
    }

    public WebElement find(String css) {
        return driver.findElement(By.cssSelector(css));
    }

    public List<WebElement> findAll(String css) {
        return driver.findElements(By.cssSelector(css));
    }

    public void type(String css, String text) {
        WebElement field = find(css);
        field.clear();
        field.sendKeys(text);
    }

    public void click(String css) {
        find(css).click();
    }

    /** Waits until the page's path starts with {@code prefix}. */
    public void awaitPath(String prefix) {
        new WebDriverWait(driver, Duration.ofSeconds(15)).until(d -> path().startsWith(prefix));
    }

    public String path() {
        return java.net.URI.create(driver.getCurrentUrl()).getPath();
    }

    public String title() {
        return find("h1").getText();
    }

    /** Saves a PNG of the current page under target/screenshots. */
    public Path screenshot(String name) {
        try {
            Files.createDirectories(SCREENSHOTS);
            Path file = SCREENSHOTS.resolve(name + ".png");
            Files.write(file, ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));
            return file;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        driver.quit();
    }
}
