package io.vecgate.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class BenchCommandTest {

  @Test
  void userErrorsPrintTheMessageWithoutAStackTrace() {
    StringWriter err = new StringWriter();
    CommandLine cl = new CommandLine(new BenchCommand()).setExecutionExceptionHandler(BenchCommand.usageErrors());
    cl.setErr(new PrintWriter(err, true));
    int code = cl.execute("ann", "--base", "nope.fvecs", "--query", "nope.fvecs", "--index", "IVF_NOPE");
    assertEquals(2, code);
    assertTrue(err.toString().startsWith("ann: index type must be one of"), err.toString());
    assertTrue(!err.toString().contains("\tat "), err.toString());
  }
}
