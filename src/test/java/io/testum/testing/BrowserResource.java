package io.testum.testing;

import java.nio.file.Paths;
import java.util.List;
import java.util.Map;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Playwright;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * A real headless Chromium (Debian's {@code /usr/bin/chromium}, driven by Playwright; no browser
 * download) for a test class. A {@code @QuarkusTest} says
 * {@code @WithTestResource(BrowserResource.class)} and declares a field {@code Browser browser;};
 * the browser starts before the application and is closed after it.
 */
public class BrowserResource implements QuarkusTestResourceLifecycleManager {

    private static final List<String> CHROMIUM_ARGS = List.of("--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
            "--disable-background-networking", "--disable-component-update", "--no-first-run");

    private Playwright playwright;
    private Browser browser;

    @Override
    public Map<String, String> start() {
        playwright = Playwright.create(new Playwright.CreateOptions().setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
        browser = playwright.chromium().launch(new BrowserType.LaunchOptions().setHeadless(true)
                .setExecutablePath(Paths.get("/usr/bin/chromium")).setArgs(CHROMIUM_ARGS));
        return Map.of();
    }

    @Override
    public void inject(TestInjector testInjector) {
        testInjector.injectIntoFields(browser, new TestInjector.MatchesType(Browser.class));
    }

    @Override
    public void stop() {
        if (browser != null) {
            browser.close();
            browser = null;
        }
        if (playwright != null) {
            playwright.close();
            playwright = null;
        }
    }
}
