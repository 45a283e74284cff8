import Foundation
import InferenceSDK
import TestSupport
import Testing

