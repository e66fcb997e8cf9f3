package aleph.pipeline.cli;

import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import aleph.pipeline.config.PipelineConfig;
import aleph.pipeline.serde.SerdeFactory;
import aleph.pipeline.topology.PipelineTopology;
import aleph.pipeline.topology.Topics;

/** {@code topology describe}: the stream graph as Kafka Streams describes it (the golden topology/topology.txt). */
@Command(name = "topology", mixinStandardHelpOptions = true, description = "Inspect the stream topology.",
    subcommands = TopologyCommand.Describe.class)
public final class TopologyCommand {

  /** Prints {@code Topology#describe()} for the configuration. */
  @Command(name = "describe", mixinStandardHelpOptions = true,
      description = "Print the topology's processors, stores and topics.")
  static final class Describe implements Callable<Integer> {

    @Mixin
    ConfigOptions config;

    @Override
    public Integer call() {
      System.out.print(describe(config.load()));
      return 0;
    }
  }

  /** The description without needing a broker: serdes are built against an in-memory registry. */
  public static String describe(final PipelineConfig given) {
    final PipelineConfig cfg = given.with(java.util.Map.of(PipelineConfig.SCHEMA_REGISTRY_URL, "mock://describe"));
    return PipelineTopology.build(cfg, Topics.from(cfg), new SerdeFactory(cfg.serdeProperties())).describe()
        .toString();
  }
}
