package dev.basenft.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/**
 * What an embedder gets from the published jars: each carries an {@code Automatic-Module-Name} equal to its package root
 * (one name from folder to artifact to package), and the BOM pins every published artifact at the build's version.
 */
class PublishedArtifactsTest {

    private static final Path ROOT = Path.of("..");
    private static final Pattern VERSION = Pattern.compile("<artifactId>base-nft-parent</artifactId>\\s*<version>([^<]+)</version>");

    /** The jar a class of a module was loaded from: in the reactor's verify, each module's packaged jar. */
    private static Path jarOf(Class<?> type) throws URISyntaxException {
        return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource({
            "dev.basenft.core.model.Address, dev.basenft.core",
            "dev.basenft.adapter.postgres.PostgresStorage, dev.basenft.adapter.postgres",
            "dev.basenft.adapter.redis.RedisDistributionQueue, dev.basenft.adapter.redis",
            "dev.basenft.adapter.base.rpc.BaseRpcChain, dev.basenft.adapter.base.rpc",
            "dev.basenft.adapter.http.javalin.HttpApi, dev.basenft.adapter.http.javalin",
            "dev.basenft.app.Main, dev.basenft.app"})
    void eachJarNamesItsModuleAfterItsPackageRoot(String someClass, String moduleName) throws Exception {
        Path location = jarOf(Class.forName(someClass));
        assertThat(location.getFileName().toString()).as("loaded from the packaged jar").endsWith(".jar");
        try (JarFile jar = new JarFile(location.toFile())) {
            assertThat(jar.getManifest().getMainAttributes().getValue("Automatic-Module-Name")).isEqualTo(moduleName);
        }
    }

    @Test
    void theBomPinsEveryPublishedArtifactAtTheBuildsVersion() throws IOException {
        Matcher parent = VERSION.matcher(Files.readString(ROOT.resolve("core/pom.xml"), StandardCharsets.UTF_8));
        assertThat(parent.find()).isTrue();
        String version = parent.group(1);
        String bom = Files.readString(ROOT.resolve("bom/pom.xml"), StandardCharsets.UTF_8);

        assertThat(bom).contains("<artifactId>base-nft-bom</artifactId>\n  <version>" + version + "</version>");
        for (String artifact : List.of("base-nft-core", "base-nft-adapter-postgres", "base-nft-adapter-redis",
                "base-nft-adapter-base-rpc", "base-nft-adapter-http-javalin", "base-nft-app")) {
            assertThat(bom).as(artifact).contains("<artifactId>" + artifact + "</artifactId>\n        <version>" + version + "</version>");
        }
        assertThat(bom).as("no parent: the parent's third-party pins are not an embedder's").doesNotContain("<parent>");
    }
}
