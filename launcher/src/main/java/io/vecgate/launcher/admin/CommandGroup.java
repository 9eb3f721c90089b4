package io.vecgate.launcher.admin;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.ParentCommand;

/** A group of admin subcommands ({@code alias}, {@code rebuild}, {@code reader}): alone, it prints its usage. */
abstract class CommandGroup implements Callable<Integer> {

  @ParentCommand AdminCommand admin;
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().usage(admin.out());
    return 0;
  }
}
