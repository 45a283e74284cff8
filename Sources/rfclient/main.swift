import InferenceSDK

print("rfclient \(InferenceClientConfiguration.sdkVersion)")
