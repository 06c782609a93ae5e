package io.ordersaga.runner;

/**
 * One instance of a service, as {@code ./run --instances N} starts several side by side.
 * The first instance is named and placed as a single one always was; instance {@code n}
 * is named {@code <service>-<n>} and listens {@value #PORT_STEP} ports further per
 * instance, with a state directory and a log of its own.
 *
 * @param service the service, such as {@code order-service}: its jar and its heap
 * @param number the instance's number, from 1
 */
public record ServiceInstance(String service, int number) {

	/**
	 * How far apart two instances' ports are, the API's and Actuator's alike: with the
	 * default ports, order-service's second instance answers on 8181 with its Actuator on
	 * 9181, clear of Kafka's 9092 and up (a step of 10 gave payment-service's second
	 * Actuator Kafka's own 9092).
	 */
	public static final int PORT_STEP = 100;

	public ServiceInstance {
		if (number < 1) {
			throw new IllegalArgumentException("Instances are numbered from 1, not " + number);
		}
	}

	/**
	 * The only, or the first, instance of a service.
	 * @param service the service
	 * @return its first instance
	 */
	public static ServiceInstance first(String service) {
		return new ServiceInstance(service, 1);
	}

	/**
	 * The instance's name, in messages, its log's file name and its state directory.
	 * @return {@code order-service} for the first instance, {@code order-service-2} for
	 * the second
	 */
	public String name() {
		return (this.number == 1) ? this.service : this.service + "-" + this.number;
	}

	/**
	 * A port of the first instance moved to this one's.
	 * @param firstInstancePort the first instance's port
	 * @return this instance's port
	 */
	public int port(int firstInstancePort) {
		return firstInstancePort + PORT_STEP * (this.number - 1);
	}

}
