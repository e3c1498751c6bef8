/// JanusModels: the Janus family's configurations and model components.
public enum JanusModelsModule {}
