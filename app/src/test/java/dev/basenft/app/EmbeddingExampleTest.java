package dev.basenft.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's embedding example is real code: the README shows the example file verbatim, and the file compiles against
 * the modules' classes (the same API the published artifacts carry).
 */
class EmbeddingExampleTest {

    private static final Path EXAMPLE = Path.of("src/test/resources/embedding/EmbeddedDistribution.java");
    private static final Path README = Path.of("../README.md");

    @Test
    void theReadmeShowsTheExampleVerbatim() throws IOException {
        String readme = Files.readString(README, StandardCharsets.UTF_8);
        int start = readme.indexOf("<!-- embedding-example:start -->");
        int end = readme.indexOf("<!-- embedding-example:end -->");
        assertThat(start).as("README start marker").isNotNegative();
        assertThat(end).as("README end marker").isGreaterThan(start);
        String block = readme.substring(start, end);
        String shown = block.substring(block.indexOf("```java\n") + "```java\n".length(), block.lastIndexOf("```"));

        assertThat(shown).isEqualTo(Files.readString(EXAMPLE, StandardCharsets.UTF_8));
    }

    @Test
    void theExampleCompilesAgainstThePublicApi(@TempDir Path out) {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        assertThat(javac).as("tests run on a JDK").isNotNull();
        StringWriter diagnostics = new StringWriter();

        Boolean ok = javac.getTask(diagnostics, null, null,
                List.of("--release", "21", "-Xlint:all", "-Werror", "-classpath", System.getProperty("java.class.path"),
                        "-d", out.toString()),
                null, javac.getStandardFileManager(null, null, StandardCharsets.UTF_8)
                        .getJavaFileObjects(EXAMPLE.toFile())).call();

        assertThat(ok).as("javac: %s", diagnostics).isTrue();
        assertThat(out.resolve("EmbeddedDistribution.class")).exists();
    }
}
